namespace Cognito.Conformance;

/// <summary>
/// The reject paths an attacker drives allocate nothing (counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, which is exact and not a timing). The accepted
/// path's allocation is bounded loosely here; bench/ measures it.
/// </summary>
public sealed class AllocationTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    private static long Allocated(Action action)
    {
        for (var i = 0; i < 50; i++)
        {
            action(); // warm up: JIT tiers, pools, lazy statics
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    public static TheoryData<string, string> RejectPaths()
    {
        var valid = Pool.CookieHeader();
        var parts = Pool.IdToken().Split('.');
        return new TheoryData<string, string>
        {
            { "no-session", "theme=dark; " + new string('x', 4000) + "=1" },
            { "no-session", valid.Replace(".idToken=", ".idTokenX=") },
            { "malformed", valid.Replace(".idToken=", ".idToken=x") },
            { "malformed", AmplifyCookies.Header(Pool.ClientId, "jane.doe", $"{parts[0]}.{parts[1]}x.{parts[2]}", Pool.AccessToken()) },
            { "unsupported-alg", AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(Pool.IdClaims(), new() { ["kid"] = "key-1", ["alg"] = "HS256" }), Pool.AccessToken()) },
            { "unknown-key", AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(Pool.IdClaims(), new() { ["kid"] = "key-9", ["alg"] = "RS256" }), Pool.AccessToken()) },
            { "bad-signature", AmplifyCookies.Header(Pool.ClientId, "jane.doe", Jws.Sign(Pool.Header().ToJsonString(), Pool.IdClaims().ToJsonString(), TestPool.StrangerKey), Pool.AccessToken()) },
            { "too-large", valid + "; pad=" + new string('p', 70_000) },
        };
    }

    [Theory]
    [MemberData(nameof(RejectPaths))]
    public void A_refusal_before_the_claims_stage_allocates_nothing(string code, string header)
    {
        Verdict.Refused(Auth.FromCookieHeader(header), code);
        Assert.Equal(0, Allocated(() => Auth.FromCookieHeader(header)));
    }

    [Fact]
    public async Task The_sign_out_check_of_a_cached_session_allocates_nothing()
    {
        // Issue 24: the session's id is kept beside the verified token, the instance's last answer in a dictionary.
        var store = new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions()));
        var signedOut = new Cognito.AspNet.SignedOutSessions(store, new FixedClock(TestPool.Now), Microsoft.Extensions.Logging.Abstractions.NullLogger<Cognito.AspNet.SignedOutSessions>.Instance);
        var header = Pool.CookieHeader("jane.doe", ["admin"]);
        Assert.True(Auth.FromCookieHeader(header).TryGetRight(out var tokens, out _));
        var id = Cognito.AspNet.SignedOutSessions.SessionId(tokens);
        Assert.Equal("b9f0c8a2-6c7e-4c0e-9a3e-2f1d0c9b8a7f", id); // the access token's origin_jti
        Assert.Equal(Cognito.AspNet.SignedOutSessions.State.Active, await signedOut.StateAsync(id, TimeSpan.FromSeconds(5)));

        // A completed ValueTask holding the answer, equal to one made from the answer: no Task, no box.
#pragma warning disable CA2012 // compared, never awaited: a ValueTask made from a result is a plain value
        var active = new ValueTask<Cognito.AspNet.SignedOutSessions.State>(Cognito.AspNet.SignedOutSessions.State.Active);
        Assert.Equal(0, Allocated(() => Assert.True(signedOut.StateAsync(Cognito.AspNet.SignedOutSessions.SessionId(tokens), TimeSpan.FromSeconds(5)) == active)));
#pragma warning restore CA2012
        Assert.Equal(1, signedOut.StoreReads);
    }

    [Fact]
    public void A_session_cache_hit_allocates_nothing()
    {
        var header = Pool.CookieHeader("jane.doe", ["admin"]);
        Verdict.Accepted(Auth.FromCookieHeader(header));
        Assert.Equal(0, Allocated(() => Auth.FromCookieHeader(header)));
    }

    [Fact]
    public void A_bearer_token_cache_hit_allocates_nothing()
    {
        var token = Pool.AccessToken("jane.doe", ["admin"]);
        Verdict.Accepted(Auth.VerifyAccessToken(token));
        Assert.Equal(0, Allocated(() => Auth.VerifyAccessToken(token)));
    }

    [Fact]
    public async Task A_verification_that_waits_for_no_key_fetch_allocates_nothing_for_the_wait()
    {
        var header = Pool.CookieHeader("jane.doe", ["admin"]);
        var token = Pool.AccessToken("jane.doe", ["admin"]);
        Verdict.Accepted(await Auth.FromCookieHeaderAsync(header));
        Verdict.Accepted(await Auth.VerifyAccessTokenAsync(token));
        Assert.Equal(0, Allocated(() => CompletedAtOnce(Auth.FromCookieHeaderAsync(header)))); // a known kid never waits
        Assert.Equal(0, Allocated(() => CompletedAtOnce(Auth.VerifyAccessTokenAsync(token))));
    }

    private static void CompletedAtOnce<T>(ValueTask<T> verification) => Assert.True(verification.IsCompletedSuccessfully);

    [Fact]
    public void An_accepted_session_allocates_little_beyond_the_returned_tokens()
    {
        var header = Pool.CookieHeader("jane.doe", ["admin"]);
        var cold = new CognitoAuth(Auth.Options with { SessionCacheSize = 0 });
        Verdict.Accepted(cold.FromCookieHeader(header));
        var bytes = Allocated(() => cold.FromCookieHeader(header));
        var tokens = Verdict.Accepted(cold.FromCookieHeader(header));
        var tokenStrings = StringBytes(tokens.IdToken) + StringBytes(tokens.AccessToken) + StringBytes(tokens.RefreshToken!);

        // The token strings the AuthTokens carries (copied out of the header), and the claims objects with
        // their strings: 1,352 B for this session on 2026-11-29. Nothing is allocated and dropped on the way.
        Assert.InRange(bytes - tokenStrings, 1, 1_500);
    }

    [Fact]
    public void A_refusal_after_the_signature_allocates_only_its_message()
    {
        // Wrong token_use: the Claims stage's refusal names the slot and the value it found.
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.AccessToken(), Pool.AccessToken());
        var cold = new CognitoAuth(Auth.Options with { SessionCacheSize = 0 });
        Verdict.Refused(cold.FromCookieHeader(header), "wrong-token-use");
        Assert.InRange(Allocated(() => cold.FromCookieHeader(header)), 1, 512);
    }

    /// <summary>What a string of this length takes on the 64-bit heap: header, length, characters and terminator, rounded to 8.</summary>
    private static long StringBytes(string text) => (22 + (2L * text.Length) + 7) / 8 * 8;
}
