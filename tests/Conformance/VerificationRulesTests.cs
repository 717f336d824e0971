using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>docs/spec.md, "Error codes": one test per row of the table: each code produced from a real signed token.</summary>
public sealed class VerificationRulesTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    private static string Session(string idToken, string accessToken) =>
        AmplifyCookies.Header(Pool.ClientId, "jane.doe", idToken, accessToken);

    private static string WithIdClaims(Action<JsonObject> change)
    {
        var claims = Pool.IdClaims();
        change(claims);
        return Session(Pool.Sign(claims), Pool.AccessToken());
    }

    private static string WithAccessClaims(Action<JsonObject> change)
    {
        var claims = Pool.AccessClaims();
        change(claims);
        return Session(Pool.IdToken(), Pool.Sign(claims));
    }

    [Fact]
    public void A_valid_Amplify_session_is_accepted_with_its_typed_claims()
    {
        var tokens = Verdict.Accepted(Auth.FromCookieHeader(Pool.CookieHeader("jane.doe", ["admin", "staff"])));
        Assert.Equal("jane.doe", tokens.Username);
        Assert.Equal("5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", tokens.Sub);
        Assert.Equal(["admin", "staff"], tokens.Groups);
        Assert.Equal("jane.doe@example.com", tokens.Id.Email);
        Assert.True(tokens.Id.EmailVerified);
        Assert.Equal(Pool.ClientId, tokens.Id.Audience);
        Assert.Equal(TestPool.Now.AddSeconds(-60), tokens.Id.AuthTime);
        Assert.Equal(TestPool.Now.AddSeconds(-60), tokens.Id.IssuedAt);
        Assert.Equal(TestPool.Now.AddHours(1), tokens.Id.ExpiresAt);
        Assert.Equal(Pool.ClientId, tokens.Access.ClientId);
        Assert.Equal(["openid", "email"], tokens.Access.Scopes);
        Assert.Equal(["admin", "staff"], tokens.Access.Groups);
        Assert.Equal("7a6b5c4d-3e2f-4101-9a8b-7c6d5e4f3a2b", tokens.Access.Jti);
        Assert.Equal(TestPool.Now.AddHours(1), tokens.Access.ExpiresAt);
        Assert.Equal(Pool.Issuer, tokens.Id.Issuer);
        Assert.StartsWith("eyJjdHkiOiJKV1Qi", tokens.RefreshToken);
        Assert.Equal(3, tokens.IdToken.Split('.').Length);
        Assert.DoesNotContain(tokens.IdToken, tokens.ToString());
    }

    [Fact]
    public void Other_claims_such_as_custom_attributes_and_identities_are_readable()
    {
        var header = WithIdClaims(c =>
        {
            c["custom:tenant"] = "acme";
            c["identities"] = JsonNode.Parse("""[{"providerName":"Google","userId":"123"}]""");
        });
        var tokens = Verdict.Accepted(Auth.FromCookieHeader(header));
        Assert.Equal("acme", tokens.Id.GetString("custom:tenant"));
        Assert.True(tokens.Id.TryGetClaim("identities", out var identities));
        Assert.Equal("Google", identities[0].GetProperty("providerName").GetString());
        Assert.False(tokens.Id.TryGetClaim("custom:missing", out _));
    }

    [Fact]
    public void No_session_when_there_is_no_cookie_header() =>
        Verdict.Refused(Auth.FromCookieHeader(null), "no-session");

    [Fact]
    public void No_session_when_the_cookie_header_is_empty() =>
        Verdict.Refused(Auth.FromCookieHeader(""), "no-session");

    [Fact]
    public void No_session_without_LastAuthUser_for_this_client()
    {
        var other = AmplifyCookies.Header("anotherclient", "jane.doe", Pool.IdToken(), Pool.AccessToken());
        Verdict.Refused(Auth.FromCookieHeader(other), "no-session");
    }

    [Fact]
    public void No_session_when_the_idToken_cookie_is_missing()
    {
        var header = Pool.CookieHeader().Replace(".idToken=", ".idTokenX=");
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void No_session_when_the_accessToken_cookie_is_missing()
    {
        var header = Pool.CookieHeader().Replace(".accessToken=", ".accessTokenX=");
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void No_session_when_LastAuthUser_points_at_another_user()
    {
        var header = Pool.CookieHeader().Replace("LastAuthUser=jane.doe", "LastAuthUser=john");
        Verdict.Refused(Auth.FromCookieHeader(header), "no-session");
    }

    [Fact]
    public void Too_large_when_the_cookie_header_is_over_64_KiB()
    {
        var header = Pool.CookieHeader() + "; filler=" + new string('a', 64 * 1024);
        Verdict.Refused(Auth.FromCookieHeader(header), "too-large");
    }

    [Fact]
    public void Too_large_when_a_token_is_over_16_KiB_even_if_it_is_validly_signed()
    {
        var header = WithIdClaims(c => c["padding"] = new string('p', 16 * 1024));
        var error = Verdict.Refused(Auth.FromCookieHeader(header), "too-large");
        Assert.Equal(TokenSlot.Id, error.Slot);
    }

    [Fact]
    public void Too_large_is_checked_before_any_decoding()
    {
        var garbage = new string('!', 16 * 1024 + 1);
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), garbage)), "too-large");
    }

    [Fact]
    public void The_size_limits_are_configurable()
    {
        var strict = new CognitoAuth(Auth.Options with { MaxTokenLength = 100, MaxCookieHeaderLength = 1000 });
        Verdict.Refused(strict.FromCookieHeader(Pool.CookieHeader()), "too-large");
        var roomy = new CognitoAuth(Auth.Options with { MaxTokenLength = 64 * 1024, MaxCookieHeaderLength = 256 * 1024 });
        Verdict.Accepted(roomy.FromCookieHeader(WithIdClaims(c => c["padding"] = new string('p', 16 * 1024))));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData(".eyJ9.c")]
    [InlineData("eyJ9..c")]
    [InlineData("eyJ9.eyJ9.")]
    [InlineData("not a token")]
    public void Malformed_when_not_three_non_empty_segments(string token) =>
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");

    [Fact]
    public void Malformed_when_base64url_has_padding()
    {
        var parts = Pool.IdToken().Split('.');
        var padded = $"{parts[0]}=.{parts[1]}.{parts[2]}";
        Verdict.Refused(Auth.FromCookieHeader(Session(padded, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_a_segment_uses_the_base64_not_base64url_alphabet()
    {
        var parts = Pool.IdToken().Split('.');
        var plus = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}+/+/";
        Verdict.Refused(Auth.FromCookieHeader(Session(plus, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_the_header_is_not_a_JSON_object()
    {
        var token = Jws.Sign("[\"RS256\"]", Pool.IdClaims().ToJsonString(), Pool.Key);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_the_payload_is_not_a_JSON_object()
    {
        var token = Jws.Sign(Pool.Header().ToJsonString(), "\"just a string\"", Pool.Key);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_the_payload_is_truncated_JSON()
    {
        var json = Pool.IdClaims().ToJsonString();
        var token = Jws.Sign(Pool.Header().ToJsonString(), json[..^1], Pool.Key);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x00)]
    public void A_signature_of_the_right_length_but_not_below_the_modulus_is_a_bad_signature(int fill)
    {
        var token = Pool.IdToken();
        var forged = token[..(token.LastIndexOf('.') + 1)] + Jws.Base64Url(Enumerable.Repeat((byte)fill, Pool.Key.KeySize / 8).ToArray());
        Verdict.Refused(Auth.FromCookieHeader(Session(forged, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Malformed_when_kid_is_missing()
    {
        var token = Pool.Sign(Pool.IdClaims(), new JsonObject { ["alg"] = "RS256" });
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_kid_is_not_a_string()
    {
        var token = Pool.Sign(Pool.IdClaims(), new JsonObject { ["alg"] = "RS256", ["kid"] = 1 });
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Malformed_when_crit_is_present()
    {
        var header = Pool.Header();
        header["crit"] = new JsonArray("exp");
        var error = Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(Pool.IdClaims(), header), Pool.AccessToken())), "malformed");
        Assert.Contains("crit", error.Message);
    }

    [Theory]
    [InlineData("{\"alg\":\"RS256\",\"x\":{\"kid\":\"key-1\"}}", "malformed")]
    [InlineData("{\"alg\":\"RS256\",\"x\":[{\"kid\":\"key-1\"}]}", "malformed")]
    [InlineData("{\"alg\":{\"kid\":\"key-1\"},\"x\":1}", "malformed")]
    [InlineData("{\"kid\":\"key-1\",\"alg\":\"none\",\"x\":{\"alg\":\"RS256\"}}", "unsupported-alg")]
    [InlineData("{\"kid\":\"key-1\",\"x\":{\"alg\":\"RS256\"}}", "unsupported-alg")]
    [InlineData("{\"kid\":[\"key-1\"],\"alg\":\"RS256\"}", "malformed")]
    [InlineData("{\"kid\":{\"kid\":\"key-1\"},\"alg\":\"RS256\"}", "malformed")]
    public void Only_top_level_header_members_count(string header, string code)
    {
        // A kid or alg nested in another member's value is not the token's kid or alg.
        var token = Jws.Sign(header, Pool.IdClaims().ToJsonString(), Pool.Key);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), code);
    }

    [Theory]
    [InlineData("{\"kid\":\"key-1\",\"alg\":\"RS256\",\"x\":{\"crit\":[\"exp\"]}}")]
    [InlineData("{\"kid\":\"key-1\",\"x\":[\"crit\"],\"alg\":\"RS256\",\"y\":\"crit\"}")]
    [InlineData("{\"kid\":\"key-1\",\"alg\":\"RS256\",\"d\":[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}")]
    public void Nested_crit_and_deep_headers_are_read_as_top_level_members(string header)
    {
        var token = Jws.Sign(header, Pool.IdClaims().ToJsonString(), Pool.Key);
        Verdict.Accepted(Auth.FromCookieHeader(Session(token, Pool.AccessToken())));
    }

    [Theory]
    [InlineData("[\"exp\"]")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"a\":[1]}")]
    public void Crit_of_any_value_is_malformed_wherever_it_stands(string value)
    {
        foreach (var header in new[] { $"{{\"crit\":{value},\"kid\":\"key-1\",\"alg\":\"RS256\"}}", $"{{\"kid\":\"key-1\",\"alg\":\"RS256\",\"crit\":{value}}}" })
        {
            var error = Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(header, Pool.IdClaims().ToJsonString(), Pool.Key), Pool.AccessToken())), "malformed");
            Assert.Contains("crit", error.Message);
        }
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("cognito:username")]
    public void Malformed_when_an_id_token_required_claim_is_missing(string claim)
    {
        var error = Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c.Remove(claim))), "malformed");
        Assert.Contains($"'{claim}' is missing", error.Message);
        Assert.Equal(TokenSlot.Id, error.Slot);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("sub")]
    [InlineData("client_id")]
    public void Malformed_when_an_access_token_required_claim_is_missing(string claim)
    {
        var error = Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c.Remove(claim))), "malformed");
        Assert.Contains($"'{claim}' is missing", error.Message);
        Assert.Equal(TokenSlot.Access, error.Slot);
    }

    [Fact]
    public void An_access_token_without_username_is_no_half_of_a_session()
    {
        // Issue 12: username is optional in an access token (machine-to-machine tokens have none), but a
        // session's access token must name the id token's user, so the pair rule refuses it.
        var error = Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c.Remove("username"))), "mismatched-tokens");
        Assert.Equal("id token and access token have different username (cognito:username vs username): they are not one session", error.Message);
    }

    [Fact]
    public void Malformed_when_iss_is_missing() =>
        Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c.Remove("iss"))), "malformed");

    [Fact]
    public void Malformed_when_token_use_is_missing() =>
        Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c.Remove("token_use"))), "malformed");

    [Theory]
    [InlineData("exp", "\"1767229200\"")]
    [InlineData("iat", "\"1767225540\"")]
    [InlineData("nbf", "true")]
    [InlineData("auth_time", "null")]
    [InlineData("exp", "-1")]
    [InlineData("exp", "1e300")]
    [InlineData("iss", "1")]
    [InlineData("sub", "{}")]
    [InlineData("token_use", "[\"id\"]")]
    [InlineData("aud", "[\"testclient0123456789abcdef\"]")]
    [InlineData("cognito:username", "42")]
    [InlineData("cognito:groups", "\"admin\"")]
    [InlineData("cognito:groups", "[\"admin\", 1]")]
    [InlineData("cognito:groups", "[[\"admin\"]]")]
    [InlineData("cognito:groups", "{\"0\":\"admin\"}")]
    [InlineData("exp", "{}")]
    [InlineData("iat", "[1767225540]")]
    [InlineData("sub", "null")]
    [InlineData("scope", "[\"openid\"]")]
    public void Malformed_when_a_claim_has_the_wrong_JSON_type(string claim, string json) =>
        Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c[claim] = JsonNode.Parse(json))), "malformed");

    [Theory]
    [InlineData("client_id", "7")]
    [InlineData("username", "false")]
    public void Malformed_when_an_access_token_claim_has_the_wrong_JSON_type(string claim, string json) =>
        Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c[claim] = JsonNode.Parse(json))), "malformed");

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("rs256")]
    [InlineData("")]
    public void Unsupported_alg_for_anything_but_RS256(string alg)
    {
        var header = new JsonObject { ["kid"] = Pool.Kid, ["alg"] = alg };
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(Pool.IdClaims(), header), Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void Unsupported_alg_when_alg_is_missing()
    {
        var header = new JsonObject { ["kid"] = Pool.Kid };
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(Pool.IdClaims(), header), Pool.AccessToken())), "unsupported-alg");
    }

    [Theory]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Unknown9")]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1/")]
    [InlineData("http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://COGNITO-IDP.eu-west-1.amazonaws.com/eu-west-1_TestPool1")]
    [InlineData("https://evil.example/eu-west-1_TestPool1")]
    [InlineData("")]
    public void Unknown_issuer_unless_iss_is_exactly_a_configured_pool(string issuer) =>
        Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c["iss"] = issuer)), "unknown-issuer");

    [Fact]
    public void Unknown_key_when_the_kid_is_not_in_the_pool()
    {
        var header = new JsonObject { ["kid"] = "rotated-away", ["alg"] = "RS256" };
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), Pool.Sign(Pool.AccessClaims(), header))), "unknown-key");
    }

    [Fact]
    public void Bad_signature_when_signed_by_another_key()
    {
        var forged = Jws.Sign(Pool.Header().ToJsonString(), Pool.IdClaims().ToJsonString(), TestPool.StrangerKey);
        Verdict.Refused(Auth.FromCookieHeader(Session(forged, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Bad_signature_when_the_payload_was_changed_after_signing()
    {
        var parts = Pool.IdToken().Split('.');
        var claims = Pool.IdClaims();
        claims["cognito:groups"] = new JsonArray("admin");
        var tampered = $"{parts[0]}.{Jws.Base64Url(claims.ToJsonString())}.{parts[2]}";
        Verdict.Refused(Auth.FromCookieHeader(Session(tampered, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Bad_signature_when_the_signature_is_truncated()
    {
        var parts = Pool.IdToken().Split('.');
        var shorter = Jws.Base64Url(Jws.FromBase64Url(parts[2]).AsSpan()[..^1]);
        Verdict.Refused(Auth.FromCookieHeader(Session($"{parts[0]}.{parts[1]}.{shorter}", Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Wrong_token_use_when_an_access_token_is_in_the_idToken_cookie() =>
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.AccessToken(), Pool.AccessToken())), "wrong-token-use");

    [Fact]
    public void Wrong_token_use_when_an_id_token_is_in_the_accessToken_cookie() =>
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), Pool.IdToken())), "wrong-token-use");

    [Fact]
    public void Wrong_token_use_for_an_unknown_token_use() =>
        Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c["token_use"] = "refresh")), "wrong-token-use");

    [Fact]
    public void Wrong_client_when_the_id_token_aud_is_another_app_client()
    {
        var error = Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c["aud"] = "anotherappclient")), "wrong-client");
        Assert.Contains("anotherappclient", error.Message);
        Assert.Contains(Pool.ClientId, error.Message);
    }

    [Fact]
    public void Wrong_client_when_the_access_token_client_id_is_another_app_client() =>
        Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c["client_id"] = "anotherappclient")), "wrong-client");

    [Fact]
    public void Expired_when_now_is_exp_plus_skew()
    {
        var exp = TestPool.Now.AddHours(1);
        var auth = Pool.Auth(now: exp.AddSeconds(60));
        var error = Verdict.Refused(auth.FromCookieHeader(Pool.CookieHeader()), "expired");
        Assert.Equal("id token expired 60 s ago (exp 1767229200, clock skew 60 s)", error.Message);
    }

    [Fact]
    public void Not_expired_one_second_before_exp_plus_skew()
    {
        var auth = Pool.Auth(now: TestPool.Now.AddHours(1).AddSeconds(59));
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
    }

    [Fact]
    public void Expired_access_token_is_refused_with_its_slot()
    {
        var error = Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c["exp"] = TestPool.Now.ToUnixTimeSeconds() - 3600)), "expired");
        Assert.Equal(TokenSlot.Access, error.Slot);
        Assert.StartsWith("access token expired 3600 s ago", error.Message);
    }

    [Fact]
    public void Not_yet_valid_when_nbf_is_beyond_the_skew() =>
        Verdict.Refused(Auth.FromCookieHeader(WithIdClaims(c => c["nbf"] = TestPool.Now.ToUnixTimeSeconds() + 61)), "not-yet-valid");

    [Fact]
    public void Nbf_within_the_skew_is_accepted() =>
        Verdict.Accepted(Auth.FromCookieHeader(WithIdClaims(c => c["nbf"] = TestPool.Now.ToUnixTimeSeconds() + 60)));

    [Fact]
    public void Issued_in_future_when_iat_is_beyond_the_skew() =>
        Verdict.Refused(Auth.FromCookieHeader(WithAccessClaims(c => c["iat"] = TestPool.Now.ToUnixTimeSeconds() + 61)), "issued-in-future");

    [Fact]
    public void Iat_within_the_skew_is_accepted() =>
        Verdict.Accepted(Auth.FromCookieHeader(WithAccessClaims(c => c["iat"] = TestPool.Now.ToUnixTimeSeconds() + 60)));

    [Fact]
    public void Mismatched_tokens_when_sub_differs()
    {
        var access = Pool.Sign(Pool.AccessClaims(sub: "00000000-0000-4000-8000-000000000000"));
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), access)), "mismatched-tokens");
    }

    [Fact]
    public void Mismatched_tokens_when_username_differs()
    {
        var access = Pool.Sign(Pool.AccessClaims(username: "john"));
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), access)), "mismatched-tokens");
    }

    [Fact]
    public void Mismatched_tokens_when_the_issuers_are_two_configured_pools()
    {
        var other = TestPool.Other;
        var keys = Pool.KeySet().Merge(other.KeySet());
        var auth = new CognitoAuth(Auth.Options with { UserPools = [Pool.Pool, other.Pool], Keys = keys });
        var header = Session(Pool.IdToken(), other.AccessToken());
        Verdict.Refused(auth.FromCookieHeader(header), "mismatched-tokens");
    }

    [Fact]
    public void LastAuthUser_is_only_a_pointer_and_is_not_compared_with_the_tokens()
    {
        // The cookies of "jane.doe" hold tokens whose username is "JANE.DOE": the pair agrees, so it is one session.
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken("JANE.DOE"), Pool.AccessToken("JANE.DOE"));
        Assert.Equal("JANE.DOE", Verdict.Accepted(Auth.FromCookieHeader(header)).Username);
    }
}
