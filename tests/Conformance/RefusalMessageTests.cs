using System.Text.Json.Nodes;
using LanguageExt;

namespace Cognito.Conformance;

/// <summary>
/// The fixed refusal messages, word for word and per token: they are built once at start-up (so the
/// reject paths allocate nothing), and people read them in logs and in <c>cognito verify</c>.
/// </summary>
public sealed class RefusalMessageTests
{
    private static readonly TestPool Pool = TestPool.Default;

    private static string Header(string json) => Jws.Base64Url(json);

    private static string Signed(string headerJson, string payloadJson) => Jws.Sign(headerJson, payloadJson, Pool.Key);

    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth));

    public static TheoryData<string, string, string> Cases()
    {
        var header = Pool.Header().ToJsonString();
        var data = new TheoryData<string, string, string>();
        foreach (var id in new[] { true, false })
        {
            var claims = (id ? Pool.IdClaims() : Pool.AccessClaims()).ToJsonString();
            var slot = id ? "id token" : "access token";
            void Add(string token, string code, string message) => data.Add(id ? "id" : "access", token, $"{code}|{slot} {message}");

            Add("a.b", "malformed", "is not three non-empty base64url segments separated by '.'");
            Add("a.b.c+", "malformed", "has a segment that is not canonical unpadded base64url");
            Add($"{Header("[]")}.{Jws.Base64Url(claims)}.AAAA", "malformed", "header is not a JSON object");
            Add(Signed(header, "[]"), "malformed", "payload is not a JSON object");
            Add(Signed("{\"kid\":\"key-1\",\"alg\":\"RS256\",\"alg\":\"RS256\"}", claims), "malformed", "header has a duplicate member name");
            Add(Signed(header, claims[..^1] + ",\"sub\":\"x\"}"), "malformed", "payload has a duplicate member name");
            Add(Signed("{\"kid\":\"key-1\",\"alg\":\"RS256\",\"x\":" + Deep(20) + "}", claims), "malformed", "header nests deeper than the limit");
            Add(Signed(header, claims[..^1] + ",\"x\":" + Deep(20) + "}"), "malformed", "payload nests deeper than the limit");
            Add(Signed("{\"alg\":\"RS256\"}", claims), "malformed", "header has no string kid");
            Add(Signed("{\"kid\":\"key-1\",\"alg\":\"RS256\",\"crit\":[\"exp\"]}", claims), "malformed", "header has crit, and no extension is understood here (RFC 7515 §4.1.11)");
            Add(Signed(header, Replace(claims, "iss", 1)), "malformed", "has no string iss claim");
            Add(Signed(header, Replace(claims, "token_use", 1)), "malformed", "has no string token_use claim");
            Add(Signed("{\"kid\":\"key-1\",\"alg\":\"HS256\"}", claims), "unsupported-alg", "alg is not RS256 (Cognito signs RS256 only)");
            Add(Signed(header, Replace(claims, "iss", TestPool.Other.Issuer)), "unknown-issuer", "iss is not the issuer of a configured user pool");
            Add(Signed("{\"kid\":\"key-9\",\"alg\":\"RS256\"}", claims), "unknown-key", "kid is not a key of its user pool in the key set");
            Add(Jws.Sign(header, claims, TestPool.StrangerKey), "bad-signature", "RS256 signature does not verify with the user pool's key");
            Add("a.b." + new string('c', 20_000), "too-large", "is over the token size limit");
        }

        return data;
    }

    private static string Replace(string claims, string name, JsonNode? value)
    {
        var node = JsonNode.Parse(claims)!.AsObject();
        node[name] = value;
        return node.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_fixed_refusal_says_which_token_and_what(string slot, string token, string expected)
    {
        var result = slot == "id" ? Pool.Auth().FromTokens(token, Pool.AccessToken()) : Pool.Auth().FromTokens(Pool.IdToken(), token);
        var error = result.Match(Right: _ => throw new Xunit.Sdk.XunitException("expected a refusal"), Left: e => e);
        Assert.Equal(expected, $"{error.Code}|{error.Message}");
    }

    [Fact]
    public void Session_level_refusals_name_no_token()
    {
        var auth = Pool.Auth();
        Assert.Equal("no Cookie header", Verdict.Refused(auth.FromCookieHeader(null), "no-session").Message);
        Assert.Equal("no Cookie header", Verdict.Refused(auth.FromCookieHeader(""), "no-session").Message);
        Assert.Equal("no token", Verdict.Refused(auth.FromTokens(null, Pool.AccessToken()), "no-session").Message);
        Assert.Equal("no token", Verdict.Refused(auth.FromTokens(Pool.IdToken(), ""), "no-session").Message);
        Assert.Equal("cookie header is over the size limit", Verdict.Refused(auth.FromCookieHeader(new string('a', auth.Options.MaxCookieHeaderLength + 1)), "too-large").Message);
    }

    [Fact]
    public void A_mismatched_pair_says_what_differs()
    {
        static string Message(Either<AuthError, AuthTokens> result) => Verdict.Refused(result, "mismatched-tokens").Message;
        var auth = Pool.Auth();
        Assert.Equal(
            "id token and access token have different sub: they are not one session",
            Message(auth.FromTokens(Pool.IdToken(), Pool.Sign(Pool.AccessClaims(sub: "00000000-0000-4000-8000-000000000000")))));
        Assert.Equal(
            "id token and access token have different username (cognito:username vs username): they are not one session",
            Message(auth.FromTokens(Pool.IdToken(), Pool.AccessToken("john"))));

        var other = TestPool.Other;
        var keys = Verdict.Accepted(PemsFile.Parse(TestPool.PemsJson(Pool, other)));
        var both = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool, other.Pool], ClientId = Pool.ClientId, Keys = keys, TimeProvider = new FixedClock(TestPool.Now) });
        Assert.Equal(
            "id token and access token have different issuer (user pool): they are not one session",
            Message(both.FromTokens(Pool.IdToken(), other.AccessToken())));
    }

    [Fact]
    public void No_session_names_the_app_client_and_its_cookies()
    {
        var prefix = AmplifyCookieNames.Prefix(Pool.ClientId);
        var expected = $"no Amplify session for app client {Pool.ClientId}: the {prefix}.LastAuthUser cookie, or its user's idToken/accessToken cookie, is missing";
        var auth = Pool.Auth();
        Assert.Equal(expected, Verdict.Refused(auth.FromCookieHeader("theme=dark"), "no-session").Message);
        Assert.Equal(expected, Verdict.Refused(auth.FromCookieHeader($"{prefix}.LastAuthUser=jane.doe"), "no-session").Message);
    }

    [Fact]
    public void Size_limits_are_inclusive_and_the_id_token_is_measured_first()
    {
        var header = Pool.CookieHeader();
        var exact = new CognitoAuth(Pool.Auth().Options with { MaxCookieHeaderLength = header.Length, MaxTokenLength = header.Length });
        Verdict.Accepted(exact.FromCookieHeader(header));
        Verdict.Refused(exact.FromCookieHeader(header + " "), "too-large");

        var (id, access) = (Pool.IdToken(), Pool.AccessToken());
        var longest = Math.Max(id.Length, access.Length);
        var tokens = new CognitoAuth(Pool.Auth().Options with { MaxTokenLength = longest });
        Verdict.Accepted(tokens.FromTokens(id, access));
        var small = new CognitoAuth(Pool.Auth().Options with { MaxTokenLength = Math.Min(id.Length, access.Length) - 1 });
        Assert.Equal(TokenSlot.Id, Verdict.Refused(small.FromTokens(id, access), "too-large").Slot);
        Assert.Equal(TokenSlot.Id, Verdict.Refused(small.FromCookieHeader(header), "too-large").Slot);
    }
}
