using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// docs/spec.md, "Stage order" — size → structure → alg → issuer → key → signature → claims → pair, and
/// within claims token_use → required claims and types → client → times — so every input has one code.
/// </summary>
public sealed class StageOrderTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    private static string Session(string idToken, string accessToken) =>
        AmplifyCookies.Header(Pool.ClientId, "jane.doe", idToken, accessToken);

    [Fact]
    public void Size_comes_before_structure()
    {
        var big = new string('.', 16 * 1024 + 1);
        Verdict.Refused(Auth.FromCookieHeader(Session("x", big)), "too-large");
    }

    [Fact]
    public void Structure_comes_before_alg()
    {
        var header = new JsonObject { ["alg"] = "HS256" }; // no kid: malformed wins over the alg
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(Pool.IdClaims(), header), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Alg_comes_before_issuer()
    {
        var claims = Pool.IdClaims();
        claims["iss"] = "https://evil.example";
        var token = Pool.Sign(claims, new JsonObject { ["kid"] = Pool.Kid, ["alg"] = "HS256" });
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void Issuer_comes_before_key()
    {
        var claims = Pool.IdClaims();
        claims["iss"] = "https://evil.example";
        var token = Pool.Sign(claims, new JsonObject { ["kid"] = "nope", ["alg"] = "RS256" });
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unknown-issuer");
    }

    [Fact]
    public void Key_comes_before_signature()
    {
        var token = Jws.Sign(new JsonObject { ["kid"] = "nope", ["alg"] = "RS256" }.ToJsonString(), Pool.IdClaims().ToJsonString(), TestPool.StrangerKey);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unknown-key");
    }

    [Fact]
    public void Signature_comes_before_claims()
    {
        var claims = Pool.IdClaims();
        claims["exp"] = 1;
        claims["token_use"] = "access";
        var forged = Jws.Sign(Pool.Header().ToJsonString(), claims.ToJsonString(), TestPool.StrangerKey);
        Verdict.Refused(Auth.FromCookieHeader(Session(forged, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Token_use_comes_before_the_slot_required_claims()
    {
        // An access token in the idToken slot lacks aud and cognito:username: wrong-token-use, not malformed.
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.AccessToken(), Pool.AccessToken())), "wrong-token-use");
    }

    [Fact]
    public void Required_claims_come_before_the_client()
    {
        var claims = Pool.IdClaims();
        claims["aud"] = "other";
        claims.Remove("cognito:username");
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Client_comes_before_times()
    {
        var claims = Pool.IdClaims();
        claims["aud"] = "other";
        claims["exp"] = 1;
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "wrong-client");
    }

    [Fact]
    public void Exp_comes_before_nbf_and_nbf_before_iat()
    {
        var now = TestPool.Now.ToUnixTimeSeconds();
        var claims = Pool.IdClaims();
        claims["exp"] = now - 1000;
        claims["nbf"] = now + 1000;
        claims["iat"] = now + 1000;
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "expired");
        claims["exp"] = now + 5000;
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "not-yet-valid");
    }

    [Fact]
    public void The_id_token_is_checked_before_the_access_token()
    {
        var expiredId = Pool.IdClaims();
        expiredId["exp"] = 1000;
        var badAccess = Jws.Sign(Pool.Header().ToJsonString(), Pool.AccessClaims().ToJsonString(), TestPool.StrangerKey);
        var error = Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(expiredId), badAccess)), "expired");
        Assert.Equal(TokenSlot.Id, error.Slot);
    }

    [Fact]
    public void Each_token_passes_every_stage_before_the_pair_is_compared()
    {
        var other = Pool.AccessClaims(username: "john");
        other["exp"] = 1000;
        var error = Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), Pool.Sign(other))), "expired");
        Assert.Equal(TokenSlot.Access, error.Slot);
    }
}
