using System.Text.Json.Nodes;
using LanguageExt;

namespace Cognito.Conformance;

/// <summary>
/// The claims are located in the same pass that checks the payload's JSON (JsonShape and its claim
/// locator): every JSON kind a claim can have must reach the type rules as that kind, only top-level
/// members are claims, and a value that is not a claim must never land in a claim's place.
/// </summary>
public sealed class ClaimLocationTests
{
    private static readonly TestPool Pool = TestPool.Default;

    /// <summary>JSON kinds no claim the verifier knows can have (empty containers are closed where they open).</summary>
    public static TheoryData<string> NoClaimKind() => new() { "{}", "{\"a\":\"x\"}", "[[]]", "[{}]", "null", "true", "false" };

    private static Either<AuthError, AuthTokens> Verify(bool id, string payload)
    {
        var token = Jws.Sign(Pool.Header().ToJsonString(), payload, Pool.Key);
        return id ? Pool.Auth().FromTokens(token, Pool.AccessToken()) : Pool.Auth().FromTokens(Pool.IdToken(), token);
    }

    /// <summary>The claims of the slot with one member set to raw JSON text (appended at the end if new).</summary>
    private static string With(bool id, string claim, string json)
    {
        var claims = id ? Pool.IdClaims() : Pool.AccessClaims();
        claims[claim] = "\u0001marker";
        return claims.ToJsonString().Replace("\"\\u0001marker\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NoClaimKind))]
    [InlineData("[]")]
    [InlineData("[\"x\"]")]
    [InlineData("0")]
    [InlineData("-1.5e3")]
    public void A_text_claim_of_any_other_JSON_kind_is_named(string json)
    {
        foreach (var (id, claim) in new[] { (true, "sub"), (true, "aud"), (true, "cognito:username"), (false, "client_id"), (false, "username"), (false, "scope") })
        {
            var error = Verdict.Refused(Verify(id, With(id, claim, json)), "malformed");
            Assert.Equal($"{(id ? "id" : "access")} token claim '{claim}' must be a string", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(NoClaimKind))]
    [InlineData("[]")]
    [InlineData("[1767225600]")]
    [InlineData("\"1767225600\"")]
    [InlineData("-1.5e3")]
    public void A_date_claim_of_any_other_JSON_kind_is_named(string json)
    {
        foreach (var claim in new[] { "exp", "iat", "nbf", "auth_time" })
        {
            var error = Verdict.Refused(Verify(true, With(true, claim, json)), "malformed");
            Assert.Equal($"id token claim '{claim}' must be a NumericDate: a number of seconds between 1970 and 9999", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(NoClaimKind))]
    [InlineData("0")]
    [InlineData("\"admin\"")]
    [InlineData("[\"admin\",{}]")]
    [InlineData("[{},\"admin\"]")]
    [InlineData("[\"admin\",[]]")]
    [InlineData("[\"admin\",null]")]
    [InlineData("{\"0\":\"admin\"}")]
    public void Groups_of_any_other_JSON_kind_are_named(string json)
    {
        var error = Verdict.Refused(Verify(true, With(true, "cognito:groups", json)), "malformed");
        Assert.Equal("id token claim 'cognito:groups' must be an array of strings", error.Message);
    }

    [Theory]
    [InlineData("[]", new string[0])]
    [InlineData("[ ]", new string[0])]
    [InlineData("[\"admin\"]", new[] { "admin" })]
    [InlineData("[ \"admin\" , \"ops\" ]", new[] { "admin", "ops" })]
    [InlineData("[\"a\\u0064min\",\"\\\"q\\\"\"]", new[] { "admin", "\"q\"" })]
    public void Groups_are_read_as_the_strings_of_the_array(string json, string[] groups)
    {
        var tokens = Verdict.Accepted(Verify(true, With(true, "cognito:groups", json)));
        Assert.Equal(groups, tokens.Id.Groups);
        Assert.Equal(groups, tokens.Groups);
    }

    [Theory]
    [InlineData("{\"sub\":1}")]
    [InlineData("{\"exp\":\"soon\",\"iat\":[]}")]
    [InlineData("[{\"sub\":{},\"cognito:groups\":1}]")]
    [InlineData("{\"x\":{\"aud\":\"someoneelse\",\"token_use\":\"access\"}}")]
    public void Members_of_nested_objects_are_not_claims(string nested)
    {
        // Appended after the real claims, and before them: neither order lets them replace a claim.
        var after = With(true, "custom:nested", nested);
        var before = "{\"custom:nested\":" + nested + "," + Pool.IdClaims().ToJsonString()[1..];
        foreach (var payload in new[] { after, before })
        {
            var tokens = Verdict.Accepted(Verify(true, payload));
            Assert.Equal("jane.doe", tokens.Username);
            Assert.Equal(Pool.ClientId, tokens.Id.Audience);
        }
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("7")]
    public void A_member_that_is_not_a_claim_does_not_replace_the_claim_before_it(string json)
    {
        // The access token's jti, then an unknown member: the jti read is still the jti.
        var tokens = Verdict.Accepted(Verify(false, With(false, "custom:after", json)));
        Assert.Equal("7a6b5c4d-3e2f-4101-9a8b-7c6d5e4f3a2b", tokens.Access.Jti);
        Assert.Equal(["openid", "email"], tokens.Access.Scopes);
    }

    [Fact]
    public void Escaped_claim_values_are_read_unescaped()
    {
        var claims = Pool.IdClaims(username: "jane.doe");
        var payload = claims.ToJsonString()
            .Replace("\"jane.doe\"", "\"jane\\u002edoe\"", StringComparison.Ordinal)
            .Replace("\"5f0c1d2e-", "\"\\u0035f0c1d2e-", StringComparison.Ordinal);
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(Jws.Sign(Pool.Header().ToJsonString(), payload, Pool.Key), Pool.AccessToken()));
        Assert.Equal("jane.doe", tokens.Username);
        Assert.Equal("5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", tokens.Sub);
    }

    [Theory]
    [InlineData("openid", new[] { "openid" })]
    [InlineData("openid  email ", new[] { "openid", "email" })]
    [InlineData("", new string[0])]
    public void Scopes_are_the_space_separated_words_of_scope(string scope, string[] scopes)
    {
        var access = Pool.AccessClaims();
        access["scope"] = scope;
        Assert.Equal(scopes, Verdict.Accepted(Pool.Auth().FromTokens(Pool.IdToken(), Pool.Sign(access))).Access.Scopes);
        access.Remove("scope");
        Assert.Empty(Verdict.Accepted(Pool.Auth().FromTokens(Pool.IdToken(), Pool.Sign(access))).Access.Scopes);
    }

    [Fact]
    public void The_session_expires_with_the_earlier_token()
    {
        var id = Pool.IdClaims();
        var access = Pool.AccessClaims();
        var now = TestPool.Now.ToUnixTimeSeconds();
        id["exp"] = now + 100;
        access["exp"] = now + 200;
        Assert.Equal(TestPool.Now.AddSeconds(100), Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(id), Pool.Sign(access))).ExpiresAt);
        id["exp"] = now + 300;
        Assert.Equal(TestPool.Now.AddSeconds(200), Verdict.Accepted(Pool.Auth().FromTokens(Pool.Sign(id), Pool.Sign(access))).ExpiresAt);
    }

    [Fact]
    public void A_session_prints_who_and_until_when_and_never_a_token()
    {
        var tokens = Verdict.Accepted(Pool.Auth().FromCookieHeader(Pool.CookieHeader()));
        Assert.Equal("AuthTokens { Username = jane.doe, Sub = 5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f, ExpiresAt = 2026-01-01T01:00:00.0000000+00:00 }", tokens.ToString());
    }

    [Fact]
    public void A_token_given_as_a_whole_string_is_kept_not_copied()
    {
        var (id, access) = (Pool.IdToken(), Pool.AccessToken());
        var tokens = Verdict.Accepted(Pool.Auth().FromTokens(id, access));
        Assert.Same(id, tokens.IdToken);
        Assert.Same(access, tokens.AccessToken);

        // Read out of a cookie header, a token is its cookie's value and nothing more.
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", id, access);
        var fromHeader = Verdict.Accepted(Pool.Auth().FromCookieHeader(header));
        Assert.Equal(id, fromHeader.IdToken);
        Assert.Equal(access, fromHeader.AccessToken);
    }
}
