using BenchmarkDotNet.Attributes;

namespace Cognito.Bench;

/// <summary>
/// Cost against Cookie header size: a warm session inside unrelated cookies, and a header with no
/// session at all. Linear is the goal. A real session is about 3.9 KB, so at 1 KiB the warm case is
/// the bare session (the smallest header that can hold one).
/// </summary>
[MemoryDiagnoser]
public class HeaderSizeBenchmarks
{
    private CognitoAuth _auth = null!;
    private string _session = null!;
    private string _noSession = null!;

    [Params(1, 4, 16, 64)]
    public int HeaderKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scenario = new Scenario();
        _auth = scenario.Auth(sessionCacheSize: 1024);
        var total = HeaderKiB * 1024;
        var padding = Math.Max(0, total - scenario.Header.Length - 4);
        // Unrelated cookies before and after the session: a scanner cannot stop early.
        _session = padding == 0 ? scenario.Header : $"{Scenario.Filler(padding / 2)}; {scenario.Header}; {Scenario.Filler(padding - (padding / 2))}";
        _noSession = Scenario.Filler(total);
        if (!_auth.FromCookieHeader(_session).IsRight || !_auth.FromCookieHeader(_noSession).IsLeft)
        {
            throw new InvalidOperationException($"bad scaling scenario at {HeaderKiB} KiB ({_session.Length} chars)");
        }
    }

    [Benchmark]
    public bool FromCookieHeaderWarm() => _auth.FromCookieHeader(_session).IsRight;

    [Benchmark]
    public bool RejectNoSession() => _auth.FromCookieHeader(_noSession).IsLeft;
}
