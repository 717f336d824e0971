using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LanguageExt;

namespace Cognito;

/// <summary>
/// The seed's <c>pems.json</c>: <c>{ region: { userPoolId: { kid: "-----BEGIN PUBLIC KEY-----…" } } }</c>.
/// Byte-compatible with files written by aws-cognito-next's <c>prepare-pems</c>; several regions and
/// pools may share one file.
/// </summary>
public static class PemsFile
{
    /// <summary>Parses pems.json text, validating every key; never throws on any input.</summary>
    public static Either<KeyLoadError, KeySet> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new KeyLoadError("pems.json is empty: run `cognito pems --region R --user-pool-id P` to create it");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            return new KeyLoadError($"pems.json is not valid JSON (line {e.LineNumber + 1}): expected {{ region: {{ userPoolId: {{ kid: PEM }} }} }}");
        }
        catch (ArgumentException)
        {
            // A string no UTF-8 can carry (an unpaired UTF-16 surrogate): the JSON reader cannot transcode it.
            return new KeyLoadError("pems.json is not valid JSON: it holds an unpaired UTF-16 surrogate");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new KeyLoadError("pems.json must be a JSON object { region: { userPoolId: { kid: PEM } } }");
            }

            var keys = new KeyCollector();
            foreach (var region in document.RootElement.EnumerateObject())
            {
                if (region.Value.ValueKind != JsonValueKind.Object)
                {
                    return new KeyLoadError($"pems.json: region '{region.Name}' must map user pool ids to key objects");
                }

                foreach (var pool in region.Value.EnumerateObject())
                {
                    if (!UserPool.IsPoolIdOf(region.Name, pool.Name))
                    {
                        return new KeyLoadError($"pems.json: '{pool.Name}' under region '{region.Name}' is not a user pool id of that region ({region.Name}_…)");
                    }

                    if (pool.Value.ValueKind != JsonValueKind.Object)
                    {
                        return new KeyLoadError($"pems.json: user pool {pool.Name} (region {region.Name}) must map kids to PEM strings");
                    }

                    var userPool = new UserPool(region.Name, pool.Name);
                    foreach (var key in pool.Value.EnumerateObject())
                    {
                        if (keys.Add(LoadPem(userPool, key.Name, key.Value)) is { } refused)
                        {
                            return refused;
                        }
                    }
                }
            }

            return keys.ToKeySet();
        }
    }

    /// <summary>Loads a pems.json file at start-up; throws <see cref="KeySetException"/> with what to fix.</summary>
    public static KeySet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeySetException($"Cannot read '{path}': {e.Message}. Create it with `cognito pems --region R --user-pool-id P --out {path}`.", e);
        }

        return Parse(text).Match(
            Right: keys => keys,
            Left: error => throw new KeySetException($"{path}: {error.Message}"));
    }

    /// <summary>
    /// Writes a key set as pems.json: regions, pools and kids sorted ordinally, two-space indentation,
    /// PEMs with <c>\n</c> line ends and a final newline — the same bytes for the same keys on every run.
    /// </summary>
    public static string Serialize(KeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var region in keys.Keys.GroupBy(k => k.Pool.Region).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(region.Key);
                foreach (var pool in region.GroupBy(k => k.Pool.UserPoolId).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject(pool.Key);
                    foreach (var key in pool.OrderBy(k => k.Kid, StringComparer.Ordinal))
                    {
                        writer.WriteString(key.Kid, key.ToPem());
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static Either<KeyLoadError, PoolKey> LoadPem(UserPool pool, string kid, JsonElement value)
    {
        var where = $"key '{kid}' of user pool {pool.UserPoolId} (region {pool.Region})";
        if (value.ValueKind != JsonValueKind.String)
        {
            return new KeyLoadError($"pems.json: {where} must be a PEM string");
        }

        var pem = value.GetString()!;
        if (!pem.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal)
            && !pem.Contains("-----BEGIN RSA PUBLIC KEY-----", StringComparison.Ordinal))
        {
            return new KeyLoadError($"pems.json: {where} is not a public key PEM (-----BEGIN PUBLIC KEY-----)");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // Stryker disable once Statement : equivalent, releases a key that is being thrown away; nothing reads it after
            rsa.Dispose();
            return new KeyLoadError($"pems.json: {where} is not an RSA public key ({e.Message.TrimEnd('.')})");
        }

        if (KeySet.Check(pool, kid, rsa) is { } problem)
        {
            // Stryker disable once Statement : equivalent, releases a key that is being thrown away; nothing reads it after
            rsa.Dispose();
            return new KeyLoadError($"pems.json: {problem}");
        }

        return new PoolKey(pool, kid, rsa);
    }
}
