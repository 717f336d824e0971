using BenchmarkDotNet.Attributes;
using Cognito.AspNet;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cognito.Bench;

/// <summary>
/// What the sign-out check (issue 24) adds to a request on a cached session: the session's id (worked out
/// once per verified token and kept beside it) and the instance's last look at the sign-out store,
/// which is asked at most once per session per interval. Baseline: the core's cache hit alone, the
/// same header, one run. Both rows should allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class SignOutCheckBenchmarks
{
    private Scenario _scenario = null!;
    private CognitoAuth _warm = null!;
    private SignedOutSessions _signedOut = null!;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        _warm = _scenario.Auth(sessionCacheSize: 1024);
        var store = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        _signedOut = new SignedOutSessions(store, TimeProvider.System, NullLogger<SignedOutSessions>.Instance);

        // Hours of validity: the interval is 5 s and a run is a few minutes, so re-reads happen (as in an app).
        if (!CachedSessionWithSignOutCheck() || SignedOutSessions.SessionId(_warm.FromCookieHeader(_scenario.Header).Match(t => t, _ => null!)) is null)
        {
            throw new InvalidOperationException("the scenario's session does not verify or has no origin_jti");
        }
    }

    [Benchmark(Baseline = true)]
    public bool CachedSession() => _warm.FromCookieHeader(_scenario.Header).IsRight;

    [Benchmark]
    public bool CachedSessionWithSignOutCheck()
    {
        var result = _warm.FromCookieHeader(_scenario.Header);
        if (!result.TryGetRight(out var tokens, out _))
        {
            return false;
        }

        var state = _signedOut.StateAsync(SignedOutSessions.SessionId(tokens), Interval);
        return (state.IsCompletedSuccessfully ? state.Result : state.AsTask().GetAwaiter().GetResult()) == SignedOutSessions.State.Active;
    }
}
