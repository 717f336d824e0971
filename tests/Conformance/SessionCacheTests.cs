using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>The verified-session cache: exact text, re-checked times, bounded, never outliving a key.</summary>
public sealed class SessionCacheTests
{
    private static readonly TestPool Pool = TestPool.Default;

    [Fact]
    public void A_session_seen_again_is_the_same_verified_value()
    {
        var auth = Pool.Auth();
        var header = Pool.CookieHeader();
        var first = Verdict.Accepted(auth.FromCookieHeader(header));
        Assert.Same(first, Verdict.Accepted(auth.FromCookieHeader(header)));
        Assert.Same(first, Verdict.Accepted(auth.FromCookieHeader("theme=dark; " + header)));
    }

    [Fact]
    public void The_cache_can_be_turned_off()
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = 0 });
        var header = Pool.CookieHeader();
        Assert.NotSame(Verdict.Accepted(auth.FromCookieHeader(header)), Verdict.Accepted(auth.FromCookieHeader(header)));
    }

    [Fact]
    public void A_hit_re_checks_expiry_against_the_clock()
    {
        var clock = new FixedClock(TestPool.Now);
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var header = Pool.CookieHeader();
        var first = Verdict.Accepted(auth.FromCookieHeader(header));
        clock.Now = TestPool.Now.AddHours(1).AddSeconds(59);
        Assert.Same(first, Verdict.Accepted(auth.FromCookieHeader(header))); // still a hit inside the skew
        clock.Now = TestPool.Now.AddHours(1).AddSeconds(60);
        Verdict.Refused(auth.FromCookieHeader(header), "expired");
    }

    [Fact]
    public void A_hit_uses_the_earlier_exp_of_the_pair()
    {
        var clock = new FixedClock(TestPool.Now);
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var access = Pool.AccessClaims();
        access["exp"] = TestPool.Now.ToUnixTimeSeconds() + 600;
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.Sign(access));
        Verdict.Accepted(auth.FromCookieHeader(header));
        clock.Now = TestPool.Now.AddSeconds(660);
        var error = Verdict.Refused(auth.FromCookieHeader(header), "expired");
        Assert.Equal(TokenSlot.Access, error.Slot);
    }

    [Fact]
    public void The_same_id_token_with_another_access_token_is_verified_again()
    {
        var auth = Pool.Auth();
        var id = Pool.IdToken();
        Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, Pool.AccessToken())));
        var other = Pool.Sign(Pool.AccessClaims(sub: "00000000-0000-4000-8000-000000000000"));
        Verdict.Refused(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, other)), "mismatched-tokens");
        var forged = Jws.Sign(Pool.Header().ToJsonString(), Pool.AccessClaims().ToJsonString(), TestPool.StrangerKey);
        Verdict.Refused(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, forged)), "bad-signature");
    }

    [Fact]
    public void Another_refresh_token_is_a_different_session_value()
    {
        var auth = Pool.Auth();
        var (id, access) = (Pool.IdToken(), Pool.AccessToken());
        var a = Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, access, "refresh-a")));
        var b = Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, access, "refresh-b")));
        Assert.Equal("refresh-a", a.RefreshToken);
        Assert.Equal("refresh-b", b.RefreshToken);
        var none = Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, access)));
        Assert.Null(none.RefreshToken);
        Assert.Same(none, Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, access))));
    }

    [Fact]
    public void Failures_are_not_cached()
    {
        var clock = new FixedClock(TestPool.Now.AddHours(2));
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var header = Pool.CookieHeader();
        Verdict.Refused(auth.FromCookieHeader(header), "expired");
        clock.Now = TestPool.Now;
        Verdict.Accepted(auth.FromCookieHeader(header));
    }

    [Fact]
    public async Task A_key_removed_from_the_key_set_drops_the_sessions_it_verified()
    {
        await using var server = await JwksServer.StartAsync();
        var live = new LiveKeySet(Pool.KeySet(), [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], new HttpClient());
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = new FixedClock(TestPool.Now) });
        var header = Pool.CookieHeader();
        Verdict.Accepted(auth.FromCookieHeader(header));
        live.Replace(Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new("key-2", TestPool.SecondKey)]))));
        Verdict.Refused(auth.FromCookieHeader(header), "unknown-key");
    }

    [Fact]
    public async Task The_same_key_loaded_again_keeps_the_sessions_it_verified()
    {
        await using var server = await JwksServer.StartAsync();
        var live = new LiveKeySet(Pool.KeySet(), [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], new HttpClient());
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = new FixedClock(TestPool.Now) });
        var header = Pool.CookieHeader();
        var first = Verdict.Accepted(auth.FromCookieHeader(header));
        live.Replace(Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new(Pool.Kid, Pool.Key), new("key-2", TestPool.SecondKey)]))));
        Assert.Same(first, Verdict.Accepted(auth.FromCookieHeader(header)));
    }

    [Fact]
    public void A_flood_of_unique_valid_sessions_cannot_grow_the_cache_beyond_its_bound()
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = 16 });
        var cache = CacheOf(auth);
        for (var i = 0; i < 100; i++)
        {
            Verdict.Accepted(auth.FromCookieHeader(UniqueSession(i)));
            Assert.InRange(cache.Count, 1, 16);
        }
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(7, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 1)]
    public void Sessions_up_to_the_bound_are_kept_and_a_full_cache_drops_a_quarter(int capacity, int dropped)
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = capacity });
        var cache = CacheOf(auth);
        var sessions = Enumerable.Range(0, capacity).Select(UniqueSession).Select(h => (Header: h, Tokens: Verdict.Accepted(auth.FromCookieHeader(h)))).ToList();
        Assert.Equal(capacity, cache.Count);
        foreach (var (header, tokens) in sessions)
        {
            Assert.Same(tokens, Verdict.Accepted(auth.FromCookieHeader(header)));
        }

        Verdict.Accepted(auth.FromCookieHeader(UniqueSession(capacity)));
        Assert.Equal(capacity - dropped + 1, cache.Count);
    }

    [Fact]
    public void An_expired_session_leaves_the_cache()
    {
        var clock = new FixedClock(TestPool.Now);
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var cache = CacheOf(auth);
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
        Assert.Equal(1, cache.Count);
        clock.Now = TestPool.Now.AddHours(2);
        Verdict.Refused(auth.FromCookieHeader(Pool.CookieHeader()), "expired");
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_session_goes_when_either_of_its_two_keys_goes(bool keepIdKey)
    {
        // The id token signed by key-1, the access token by key-2; then one of the two keys is rotated out.
        await using var server = await JwksServer.StartAsync();
        var both = Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new(Pool.Kid, Pool.Key), new("key-2", TestPool.SecondKey)])));
        var live = new LiveKeySet(both, [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], new HttpClient());
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = new FixedClock(TestPool.Now) });
        var access = Jws.Sign(new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString(), Pool.AccessClaims().ToJsonString(), TestPool.SecondKey);
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), access);
        Verdict.Accepted(auth.FromCookieHeader(header));
        Assert.Equal(1, CacheOf(auth).Count);

        live.Replace(Verdict.Accepted(Jwks.Parse(Pool.Pool, keepIdKey
            ? JwksServer.Document([new(Pool.Kid, Pool.Key)])
            : JwksServer.Document([new("key-2", TestPool.SecondKey)]))));
        Assert.Equal(0, CacheOf(auth).Count);
        var error = Verdict.Refused(auth.FromCookieHeader(header), "unknown-key");
        Assert.Equal(keepIdKey ? TokenSlot.Access : TokenSlot.Id, error.Slot);
    }

    private static SessionCache CacheOf(CognitoAuth auth) =>
        (SessionCache)typeof(CognitoAuth).GetField("_cache", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(auth)!;

    private static string UniqueSession(int i)
    {
        var id = Pool.IdClaims();
        id["jti"] = $"unique-{i}";
        return AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(id), Pool.AccessToken());
    }

    [Theory]
    [InlineData("nbf", -61, "not-yet-valid")]
    [InlineData("iat", -61, "issued-in-future")]
    public void A_hit_re_checks_nbf_and_iat_against_the_clock(string claim, int secondsBeforeClaim, string code)
    {
        var at = TestPool.Now.AddMinutes(10);
        var clock = new FixedClock(at.AddSeconds(1));
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var id = Pool.IdClaims();
        id[claim] = at.ToUnixTimeSeconds();
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(id), Pool.AccessToken());
        var first = Verdict.Accepted(auth.FromCookieHeader(header));
        clock.Now = at.AddSeconds(-60);
        Assert.Same(first, Verdict.Accepted(auth.FromCookieHeader(header))); // still a hit inside the skew
        clock.Now = at.AddSeconds(secondsBeforeClaim);
        Verdict.Refused(auth.FromCookieHeader(header), code);
    }

    [Fact]
    public void A_hit_without_nbf_is_accepted_at_any_time_before_exp()
    {
        var clock = new FixedClock(TestPool.Now);
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var header = Pool.CookieHeader();
        Verdict.Accepted(auth.FromCookieHeader(header));
        clock.Now = TestPool.Now.AddMinutes(-1); // iat is Now - 60 s in TestPool's claims, skew 60 s
        Verdict.Accepted(auth.FromCookieHeader(header));
    }
}
