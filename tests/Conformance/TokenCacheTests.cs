using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// The verified-token cache of the bearer path: a token seen again is a lookup of its exact text, its
/// times checked again; only the kind asked for counts; bounded; never outliving its key.
/// </summary>
public sealed class TokenCacheTests
{
    private static readonly TestPool Pool = TestPool.Default;

    [Fact]
    public void An_access_token_seen_again_is_the_same_verified_value()
    {
        var auth = Pool.Auth();
        var token = Pool.AccessToken();
        var first = Verdict.Accepted(auth.VerifyAccessToken(token));
        Assert.Same(first, Verdict.Accepted(auth.VerifyAccessToken(token)));
        Assert.Same(first, Verdict.Accepted(auth.VerifyAccessToken(new string(token.AsSpan())))); // by text, not by reference
    }

    [Fact]
    public void An_id_token_seen_again_is_the_same_verified_value()
    {
        var auth = Pool.Auth();
        var token = Pool.IdToken();
        Assert.Same(Verdict.Accepted(auth.VerifyIdToken(token)), Verdict.Accepted(auth.VerifyIdToken(token)));
    }

    [Fact]
    public void A_machine_to_machine_token_seen_again_is_the_same_verified_value()
    {
        var auth = Pool.Auth();
        var claims = Pool.AccessClaims();
        claims.Remove("username");
        claims["sub"] = Pool.ClientId;
        claims["scope"] = "orders/read";
        var token = Pool.Sign(claims);
        var first = Verdict.Accepted(auth.VerifyAccessToken(token));
        Assert.True(first.IsMachineToMachine);
        Assert.Same(first, Verdict.Accepted(auth.VerifyAccessToken(token)));
    }

    [Fact]
    public void The_cache_is_turned_off_with_the_session_cache()
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = 0 });
        var token = Pool.AccessToken();
        Assert.NotSame(Verdict.Accepted(auth.VerifyAccessToken(token)), Verdict.Accepted(auth.VerifyAccessToken(token)));
        Assert.Null(TokensOf(auth));
    }

    [Fact]
    public void A_verified_access_token_asked_for_as_an_id_token_is_still_the_wrong_token_use()
    {
        var auth = Pool.Auth();
        var (access, id) = (Pool.AccessToken(), Pool.IdToken());
        Verdict.Accepted(auth.VerifyAccessToken(access));
        Verdict.Accepted(auth.VerifyIdToken(id));
        Verdict.Refused(auth.VerifyIdToken(access), "wrong-token-use");
        Verdict.Refused(auth.VerifyAccessToken(id), "wrong-token-use");
    }

    [Theory]
    [InlineData(59, true)]
    [InlineData(60, false)]
    public void A_hit_re_checks_expiry_against_the_clock(int secondsAfterExp, bool accepted)
    {
        var clock = new FixedClock(TestPool.Now);
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var token = Pool.AccessToken();
        var first = Verdict.Accepted(auth.VerifyAccessToken(token));
        clock.Now = TestPool.Now.AddHours(1).AddSeconds(secondsAfterExp); // exp is Now + 1 h, skew 60 s
        if (accepted)
        {
            Assert.Same(first, Verdict.Accepted(auth.VerifyAccessToken(token)));
        }
        else
        {
            Verdict.Refused(auth.VerifyAccessToken(token), "expired");
            Assert.Equal(0, TokensOf(auth)!.Count);
        }
    }

    [Theory]
    [InlineData("nbf", -61, "not-yet-valid")]
    [InlineData("iat", -61, "issued-in-future")]
    public void A_hit_re_checks_nbf_and_iat_against_the_clock(string claim, int secondsBeforeClaim, string code)
    {
        var at = TestPool.Now.AddMinutes(10);
        var clock = new FixedClock(at.AddSeconds(1));
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var claims = Pool.AccessClaims();
        claims[claim] = at.ToUnixTimeSeconds();
        var token = Pool.Sign(claims);
        var first = Verdict.Accepted(auth.VerifyAccessToken(token));
        clock.Now = at.AddSeconds(-60);
        Assert.Same(first, Verdict.Accepted(auth.VerifyAccessToken(token))); // still a hit inside the skew
        clock.Now = at.AddSeconds(secondsBeforeClaim);
        Verdict.Refused(auth.VerifyAccessToken(token), code);
    }

    [Fact]
    public void Failures_are_not_cached()
    {
        var clock = new FixedClock(TestPool.Now.AddHours(2));
        var auth = new CognitoAuth(Pool.Auth().Options with { TimeProvider = clock });
        var token = Pool.AccessToken();
        Verdict.Refused(auth.VerifyAccessToken(token), "expired");
        Assert.Equal(0, TokensOf(auth)!.Count);
        clock.Now = TestPool.Now;
        Verdict.Accepted(auth.VerifyAccessToken(token));
        Assert.Equal(1, TokensOf(auth)!.Count);
    }

    [Fact]
    public async Task A_key_removed_from_the_key_set_drops_the_tokens_it_verified()
    {
        await using var server = await JwksServer.StartAsync();
        var both = Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new(Pool.Kid, Pool.Key), new("key-2", TestPool.SecondKey)])));
        var live = new LiveKeySet(both, [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], new HttpClient());
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = new FixedClock(TestPool.Now) });
        var first = Pool.AccessToken();
        var second = Jws.Sign(new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString(), Pool.AccessClaims().ToJsonString(), TestPool.SecondKey);
        var kept = Verdict.Accepted(auth.VerifyAccessToken(second));
        Verdict.Accepted(auth.VerifyAccessToken(first));
        Assert.Equal(2, TokensOf(auth)!.Count);

        live.Replace(Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new("key-2", TestPool.SecondKey)]))));
        Assert.Equal(1, TokensOf(auth)!.Count);
        Verdict.Refused(auth.VerifyAccessToken(first), "unknown-key");
        Assert.Same(kept, Verdict.Accepted(auth.VerifyAccessToken(second)));
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(3, 1)]
    public void A_flood_of_unique_valid_tokens_cannot_grow_the_cache_beyond_its_bound(int capacity, int dropped)
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = capacity });
        var cache = TokensOf(auth)!;
        var tokens = Enumerable.Range(0, capacity).Select(UniqueToken).Select(t => (Text: t, Claims: Verdict.Accepted(auth.VerifyAccessToken(t)))).ToList();
        Assert.Equal(capacity, cache.Count);
        foreach (var (text, claims) in tokens)
        {
            Assert.Same(claims, Verdict.Accepted(auth.VerifyAccessToken(text)));
        }

        Verdict.Accepted(auth.VerifyAccessToken(UniqueToken(capacity)));
        Assert.Equal(capacity - dropped + 1, cache.Count);
        for (var i = 0; i < 100; i++)
        {
            Verdict.Accepted(auth.VerifyAccessToken(UniqueToken(1000 + i)));
            Assert.InRange(cache.Count, 1, capacity);
        }
    }

    [Fact]
    public void The_count_stays_exact_when_threads_add_and_find_the_same_tokens()
    {
        var auth = new CognitoAuth(Pool.Auth().Options with { SessionCacheSize = 1000 });
        var tokens = Enumerable.Range(0, 20).Select(UniqueToken).ToArray();
        Parallel.For(0, 400, i => Verdict.Accepted(auth.VerifyAccessToken(tokens[i % tokens.Length])));
        Assert.Equal(tokens.Length, TokensOf(auth)!.Count);
    }

    private static string UniqueToken(int i)
    {
        var claims = Pool.AccessClaims();
        claims["jti"] = $"unique-{i}";
        return Pool.Sign(claims);
    }

    private static VerifiedCache<TokenClaims>? TokensOf(CognitoAuth auth) =>
        (VerifiedCache<TokenClaims>?)typeof(CognitoAuth).GetField("_tokens", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(auth);
}
