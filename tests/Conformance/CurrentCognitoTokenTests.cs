using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// Tokens of pools configured the way AWS recommends today (issue 12, the core's part): the updated
/// issuer form beside the original, and machine-to-machine access tokens of the client-credentials grant.
/// </summary>
public sealed class CurrentCognitoTokenTests
{
    private static readonly TestPool Pool = TestPool.Default;

    private static CognitoAuth TwoPools() =>
        new(new CognitoOptions
        {
            UserPools = [Pool.Pool, TestPool.Other.Pool],
            ClientId = Pool.ClientId,
            Keys = Pool.KeySet().Merge(TestPool.Other.KeySet()),
            TimeProvider = new FixedClock(TestPool.Now),
        });

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        claims[name] = value;
        return claims;
    }

    private static string Updated(TestPool pool) => $"https://issuer-cognito-idp.{pool.Region}.amazonaws.com/{pool.UserPoolId}";

    [Fact]
    public void A_pool_knows_both_of_its_issuer_forms()
    {
        Assert.Equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1", Pool.Pool.Issuer);
        Assert.Equal("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1", Pool.Pool.UpdatedIssuer);
    }

    [Fact]
    public void Both_issuer_forms_of_every_configured_pool_are_accepted()
    {
        var auth = TwoPools();
        foreach (var pool in new[] { Pool, TestPool.Other })
        {
            var id = pool.Sign(With(pool.IdClaims(), "iss", Updated(pool)));
            var access = pool.Sign(With(pool.AccessClaims(), "iss", Updated(pool)));
            var session = Verdict.Accepted(auth.FromCookieHeader(AmplifyCookies.Header(pool.ClientId, "jane.doe", id, access)));
            Assert.Equal(pool.Pool, session.Id.Pool);
            Assert.Equal(Updated(pool), session.Id.Issuer);
            Assert.Equal(Updated(pool), Verdict.Accepted(auth.VerifyAccessToken(access)).Issuer);
            Assert.Equal(pool.Issuer, Verdict.Accepted(auth.VerifyAccessToken(pool.AccessToken())).Issuer);
        }
    }

    [Fact]
    public void A_session_whose_tokens_name_one_pool_in_both_forms_is_one_session()
    {
        // Documented choice: the pair rule compares pools, so a pool switched to the updated form while a
        // user was signed in keeps the session whose tokens were refreshed one at a time.
        var access = Pool.Sign(With(Pool.AccessClaims(), "iss", Updated(Pool)));
        var session = Verdict.Accepted(TwoPools().FromCookieHeader(AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), access)));
        Assert.Equal(Pool.Issuer, session.Id.Issuer);
        Assert.Equal(Updated(Pool), session.Access.Issuer);
    }

    [Theory]
    [InlineData("http://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1/")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com.evil.example/eu-west-1_TestPool1")]
    [InlineData("https://issuer-cognito-idp.eu-west-2.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool9")]
    [InlineData("https://xissuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://issuer.cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://ISSUER-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1?x")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com:443/eu-west-1_TestPool1")]
    [InlineData("https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool2x")]
    public void Every_near_miss_of_the_updated_form_is_an_unknown_issuer(string iss)
    {
        var auth = TwoPools();
        Verdict.Refused(auth.VerifyAccessToken(Pool.Sign(With(Pool.AccessClaims(), "iss", iss))), "unknown-issuer");
        Verdict.Refused(auth.VerifyIdToken(Pool.Sign(With(Pool.IdClaims(), "iss", iss))), "unknown-issuer");
    }

    /// <summary>What the client-credentials grant issues: sub is the app client, custom scopes, no username, no groups.</summary>
    private static JsonObject MachineClaims(string clientId)
    {
        var claims = Pool.AccessClaims();
        claims.Remove("username");
        claims.Remove("origin_jti");
        claims["sub"] = clientId;
        claims["client_id"] = clientId;
        claims["scope"] = "orders/read orders/write";
        return claims;
    }

    [Fact]
    public void A_machine_to_machine_access_token_verifies_on_its_own()
    {
        var claims = Verdict.Accepted(Pool.Auth().VerifyAccessToken(Pool.Sign(MachineClaims(Pool.ClientId))));
        Assert.True(claims.IsMachineToMachine);
        Assert.Null(claims.Username);
        Assert.Equal(Pool.ClientId, claims.Sub);
        Assert.Equal(["orders/read", "orders/write"], claims.Scopes);
        Assert.True(claims.HasScope("orders/read"));
        Assert.False(claims.HasScope("orders"));
        Assert.False(claims.HasScope("ORDERS/READ"));
        Assert.False(Verdict.Accepted(Pool.Auth().VerifyAccessToken(Pool.AccessToken())).IsMachineToMachine);
    }

    [Fact]
    public void Machine_tokens_keep_every_other_rule()
    {
        var auth = Pool.Auth();
        Verdict.Refused(auth.VerifyAccessToken(Pool.Sign(MachineClaims("anotherclient"))), "wrong-client");
        var withoutSub = MachineClaims(Pool.ClientId);
        withoutSub.Remove("sub");
        Verdict.Refused(auth.VerifyAccessToken(Pool.Sign(withoutSub)), "malformed");
        Verdict.Refused(auth.VerifyAccessToken(Pool.Sign(With(MachineClaims(Pool.ClientId), "username", 42))), "malformed");
        Verdict.Refused(auth.VerifyIdToken(Pool.Sign(MachineClaims(Pool.ClientId))), "wrong-token-use");

        // A cookie session still needs a user's two tokens: a machine access token is never half of one.
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.Sign(With(MachineClaims(Pool.ClientId), "sub", "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f")));
        Verdict.Refused(auth.FromCookieHeader(header), "mismatched-tokens");
    }

    // ---- Several app clients of one pool ----

    private static readonly TestPool Mobile = new(Pool.Region, Pool.UserPoolId, "mobileclient000000000000", Pool.Kid, Pool.Key);
    private static readonly TestPool Unconfigured = new(Pool.Region, Pool.UserPoolId, "thirdclient0000000000000", Pool.Kid, Pool.Key);

    private static CognitoAuth TwoClients(int cacheSize = 4096) =>
        new(new CognitoOptions
        {
            UserPools = [Pool.Pool],
            ClientIds = [Pool.ClientId, Mobile.ClientId],
            Keys = Pool.KeySet(),
            TimeProvider = new FixedClock(TestPool.Now),
            SessionCacheSize = cacheSize,
        });

    [Fact]
    public void A_session_of_the_second_client_is_accepted_and_an_unconfigured_one_is_no_session()
    {
        var auth = TwoClients();
        Assert.Equal(Pool.ClientId, auth.Options.ClientId);
        Assert.Equal([Pool.ClientId, Mobile.ClientId], auth.Options.ClientIds);
        var session = Verdict.Accepted(auth.FromCookieHeader(Mobile.CookieHeader()));
        Assert.Equal(Mobile.ClientId, session.Id.Audience);
        Assert.Equal(Mobile.ClientId, session.Access.ClientId);
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
        var none = Verdict.Refused(auth.FromCookieHeader(Unconfigured.CookieHeader()), "no-session");
        Assert.Equal($"no Amplify session for any of the app clients {Pool.ClientId}, {Mobile.ClientId}: no {{client}}.LastAuthUser cookie with its user's idToken/accessToken cookies", none.Message);
        Assert.Equal("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh", auth.ReadRefreshToken(Mobile.CookieHeader()));
    }

    [Fact]
    public void The_clients_are_looked_for_in_configured_order()
    {
        var auth = TwoClients();
        var both = Mobile.CookieHeader("mobile.user") + "; " + Pool.CookieHeader("web.user");
        Assert.Equal("web.user", Verdict.Accepted(auth.FromCookieHeader(both)).Username);
        Assert.Equal(
            [$"CognitoIdentityServiceProvider.{Mobile.ClientId}.LastAuthUser", $"CognitoIdentityServiceProvider.{Pool.ClientId}.LastAuthUser"],
            auth.AmplifyCookieNamesIn(both).Where(n => n.EndsWith(".LastAuthUser", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    public void Tokens_of_one_client_in_the_cookies_of_another_are_wrong_client(int cacheSize)
    {
        var auth = TwoClients(cacheSize);
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader())); // cached, when the cache is on

        var webTokensInMobileCookies = AmplifyCookies.Header(Mobile.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken(), "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh");
        var error = Verdict.Refused(auth.FromCookieHeader(webTokensInMobileCookies), "wrong-client");
        Assert.Equal($"id token aud is '{Pool.ClientId}', but it came in the cookies of app client '{Mobile.ClientId}'", error.Message);

        var mixed = AmplifyCookies.Header(Mobile.ClientId, "jane.doe", Mobile.IdToken(), Pool.AccessToken());
        error = Verdict.Refused(auth.FromCookieHeader(mixed), "wrong-client");
        Assert.Equal(TokenSlot.Access, error.Slot);
        Assert.Equal($"access token client_id is '{Pool.ClientId}', but it came in the cookies of app client '{Mobile.ClientId}'", error.Message);
        Verdict.Refused(auth.FromCookieHeaderIgnoringTimes(mixed), "wrong-client");
    }

    [Fact]
    public void Single_tokens_of_any_configured_client_are_accepted()
    {
        var auth = TwoClients();
        Assert.Equal(Mobile.ClientId, Verdict.Accepted(auth.VerifyAccessToken(Mobile.AccessToken())).ClientId);
        Assert.Equal(Pool.ClientId, Verdict.Accepted(auth.VerifyIdToken(Pool.IdToken())).Audience);
        var error = Verdict.Refused(auth.VerifyAccessToken(Unconfigured.AccessToken()), "wrong-client");
        Assert.Equal($"access token client_id is '{Unconfigured.ClientId}', expected app client one of '{Pool.ClientId}', '{Mobile.ClientId}'", error.Message);
        Assert.Equal($"id token aud is '{Unconfigured.ClientId}', expected app client '{Pool.ClientId}'", Verdict.Refused(Pool.Auth().VerifyIdToken(Unconfigured.IdToken()), "wrong-client").Message);
    }

    [Fact]
    public void Client_lists_that_cannot_work_stop_at_start_up()
    {
        CognitoOptions Options(string? clientId, IReadOnlyList<string>? clientIds) => new()
        {
            UserPools = [Pool.Pool],
            ClientId = clientId!,
            ClientIds = clientIds!,
            Keys = Pool.KeySet(),
        };

        Assert.Throws<ArgumentException>("options", () => new CognitoAuth(Options(null, [])));
        Assert.Throws<ArgumentException>("options", () => new CognitoAuth(Options(null, [Pool.ClientId, "bad;client"])));
        var e = Assert.Throws<ArgumentException>("options", () => new CognitoAuth(Options("web", ["mobile"])));
        Assert.StartsWith("ClientIds must list each app client once, ClientId among them", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("options", () => new CognitoAuth(Options(null, ["a", "a"])));
        Assert.Equal(Mobile.ClientId, new CognitoAuth(Options(Mobile.ClientId, [Pool.ClientId, Mobile.ClientId])).Options.ClientId);
        Assert.Equal([Pool.ClientId], new CognitoAuth(Options(Pool.ClientId, null)).Options.ClientIds);
    }

    [Fact]
    public void Options_without_a_client_have_none()
    {
        Assert.Empty(new CognitoOptions { UserPools = [Pool.Pool] }.ClientIds);
        Assert.Null(new CognitoOptions { UserPools = [Pool.Pool] }.ClientId);
    }

    [Fact]
    public void A_cookie_name_of_two_clients_whose_ids_nest_is_listed_once()
    {
        // "abc" and "abc.x": CognitoIdentityServiceProvider.abc.x.LastAuthUser begins with both prefixes.
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool], ClientIds = ["abc", "abc.x"], Keys = Pool.KeySet() });
        Assert.Equal(["CognitoIdentityServiceProvider.abc.x.LastAuthUser"], auth.AmplifyCookieNamesIn("CognitoIdentityServiceProvider.abc.x.LastAuthUser=u"));
    }
}
