using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cognito.TestKit;

namespace Cognito.Bench;

/// <summary>
/// The Structure stage's JSON check on the scenario's id token payload (about 1 KB), against what the
/// platform offers: <see cref="JsonDocument"/> with .NET 10's <c>AllowDuplicateProperties = false</c>
/// (the only platform parser that refuses duplicate names), and a bare <see cref="Utf8JsonReader"/>
/// pass (which checks the grammar but not duplicates, so it is a floor, not an alternative). A
/// refusal row with a duplicate claim: the platform answers it with an exception.
/// </summary>
[MemoryDiagnoser]
public class JsonCheckBenchmarks
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };
    private byte[] _payload = null!;
    private byte[] _duplicate = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scenario = new Scenario();
        _payload = Jws.FromBase64Url(scenario.IdToken.Split('.')[1]);
        var text = Encoding.UTF8.GetString(_payload);
        _duplicate = Encoding.UTF8.GetBytes(text.Insert(1, "\"sub\":\"someone-else\","));
        if (!JsonCheck() || JsonCheckDuplicate() || !JsonDocumentStrict() || JsonDocumentStrictDuplicate())
        {
            throw new InvalidOperationException("the JSON scenario does not check as expected");
        }
    }

    /// <summary>Ours: grammar, depth, duplicates after unescaping, and the claims located in the same pass.</summary>
    [Benchmark(Baseline = true)]
    public bool JsonCheck()
    {
        var claims = default(TokenPayload);
        return ClaimLocator.CheckAndLocate(_payload, ref claims) == JsonShapeFault.None;
    }

    [Benchmark]
    public bool JsonCheckDuplicate()
    {
        var claims = default(TokenPayload);
        return ClaimLocator.CheckAndLocate(_duplicate, ref claims) == JsonShapeFault.None;
    }

    [Benchmark]
    public bool JsonDocumentStrict() => Parse(_payload);

    [Benchmark]
    public bool JsonDocumentStrictDuplicate() => Parse(_duplicate);

    /// <summary>Grammar only (no duplicate check, nothing located): the platform's floor for one pass.</summary>
    [Benchmark]
    public int Utf8JsonReaderPass()
    {
        var reader = new Utf8JsonReader(_payload, new JsonReaderOptions { MaxDepth = 16 });
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    private static bool Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
