namespace Cognito.Conformance;

/// <summary>Verification of one token on its own, for bearer-token callers.</summary>
public sealed class SingleTokenTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    [Fact]
    public void An_access_token_verifies_on_its_own()
    {
        var claims = Verdict.Accepted(Auth.VerifyAccessToken(Pool.AccessToken("jane.doe", ["admin"])));
        Assert.Equal("jane.doe", claims.Username);
        Assert.Equal(["admin"], claims.Groups);
    }

    [Fact]
    public void An_id_token_verifies_on_its_own() =>
        Assert.Equal("jane.doe", Verdict.Accepted(Auth.VerifyIdToken(Pool.IdToken())).Username);

    [Fact]
    public void An_id_token_is_not_an_access_token() =>
        Verdict.Refused(Auth.VerifyAccessToken(Pool.IdToken()), "wrong-token-use");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_token_is_no_session(string? token)
    {
        Verdict.Refused(Auth.VerifyAccessToken(token), "no-session");
        Verdict.Refused(Auth.VerifyIdToken(token), "no-session");
    }

    [Fact]
    public void A_pair_given_directly_is_verified_like_a_cookie_session()
    {
        Verdict.Accepted(Auth.FromTokens(Pool.IdToken(), Pool.AccessToken()));
        Verdict.Refused(Auth.FromTokens(Pool.IdToken(), Pool.AccessToken("john")), "mismatched-tokens");
        Verdict.Refused(Auth.FromTokens(null, Pool.AccessToken()), "no-session");
    }

    [Fact]
    public void Tokens_minted_by_Microsoft_IdentityModel_verify()
    {
        // An independent signer: Microsoft.IdentityModel's RsaSecurityKey and SignatureProvider.
        var key = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(Pool.Key) { KeyId = Pool.Kid };
        var credentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256);
        var header = Jws.Base64Url(Pool.Header().ToJsonString());
        var payload = Jws.Base64Url(Pool.AccessClaims().ToJsonString());
        var provider = Microsoft.IdentityModel.Tokens.CryptoProviderFactory.Default.CreateForSigning(key, credentials.Algorithm);
        var signature = provider.Sign(System.Text.Encoding.ASCII.GetBytes($"{header}.{payload}"));
        Verdict.Accepted(Auth.VerifyAccessToken($"{header}.{payload}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signature)}"));
    }
}
