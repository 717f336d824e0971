using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>
/// The attack catalogue: each known attack on JWT verifiers (and on cookie sessions) is a named
/// regression test that must be refused with its exact code.
/// </summary>
public sealed class SecurityVulnerabilitiesTests
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly CognitoAuth Auth = Pool.Auth();

    private static string Session(string idToken, string accessToken) =>
        AmplifyCookies.Header(Pool.ClientId, "jane.doe", idToken, accessToken);

    private static string Header(string alg) => new JsonObject { ["kid"] = Pool.Kid, ["alg"] = alg }.ToJsonString();

    [Fact]
    public void Alg_none_with_an_empty_signature_is_malformed()
    {
        var token = $"{Jws.Base64Url(Header("none"))}.{Jws.Base64Url(Pool.IdClaims().ToJsonString())}.";
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Alg_none_with_a_signature_is_an_unsupported_alg()
    {
        var token = Jws.SignWith(Header("none"), Pool.IdClaims().ToJsonString(), _ => [1]);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void HS256_keyed_with_the_public_key_is_refused()
    {
        // The classic key-confusion attack: HMAC with the PEM text of the RSA public key as secret.
        var secret = Encoding.ASCII.GetBytes(Pool.Key.ExportSubjectPublicKeyInfoPem());
        var token = Jws.SignWith(Header("HS256"), Pool.IdClaims().ToJsonString(), input => HMACSHA256.HashData(secret, input));
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void RS512_with_the_right_key_is_refused()
    {
        var token = Jws.SignWith(Header("RS512"), Pool.IdClaims().ToJsonString(), input => Pool.Key.SignData(input, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void PS256_with_the_right_key_is_refused()
    {
        var token = Jws.SignWith(Header("PS256"), Pool.IdClaims().ToJsonString(), input => Pool.Key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "unsupported-alg");
    }

    [Fact]
    public void RS256_label_over_a_PS256_signature_is_a_bad_signature()
    {
        var token = Jws.SignWith(Header("RS256"), Pool.IdClaims().ToJsonString(), input => Pool.Key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Kid_collision_across_two_pools_of_one_key_set_never_crosses_pools()
    {
        // Both pools have a key "key-1". A token claiming pool A but signed with pool B's key must fail, and vice versa.
        var other = TestPool.Other;
        var keys = PemsFile.Parse(TestPool.PemsJson(Pool, other)).Match(k => k, e => throw new InvalidOperationException(e.Message));
        var both = new CognitoAuth(Auth.Options with { UserPools = [Pool.Pool, other.Pool], Keys = keys });

        var claimsA = Pool.IdClaims();
        var signedByB = Jws.Sign(Pool.Header().ToJsonString(), claimsA.ToJsonString(), other.Key);
        Verdict.Refused(both.FromCookieHeader(Session(signedByB, Pool.AccessToken())), "bad-signature");

        var claimsB = other.IdClaims();
        var signedByA = Jws.Sign(other.Header().ToJsonString(), claimsB.ToJsonString(), Pool.Key);
        Verdict.Refused(both.FromCookieHeader(Session(signedByA, other.AccessToken())), "bad-signature");

        // And each pool's own tokens still verify.
        Verdict.Accepted(both.FromCookieHeader(Pool.CookieHeader()));
        Verdict.Accepted(both.FromCookieHeader(other.CookieHeader()));
    }

    [Fact]
    public void A_pool_in_the_key_set_but_not_configured_is_an_unknown_issuer()
    {
        var other = TestPool.Other;
        var keys = Pool.KeySet().Merge(other.KeySet());
        var onlyA = new CognitoAuth(Auth.Options with { Keys = keys });
        Verdict.Refused(onlyA.FromCookieHeader(other.CookieHeader()), "unknown-issuer");
    }

    [Fact]
    public void Token_use_swapped_between_the_cookies_is_refused() =>
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.AccessToken(), Pool.IdToken())), "wrong-token-use");

    [Fact]
    public void Id_token_of_another_app_client_is_refused()
    {
        var claims = Pool.IdClaims();
        claims["aud"] = "otherclient0123456789abcde";
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "wrong-client");
    }

    [Fact]
    public void Access_token_of_another_app_client_is_refused()
    {
        var claims = Pool.AccessClaims();
        claims["client_id"] = "otherclient0123456789abcde";
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), Pool.Sign(claims))), "wrong-client");
    }

    [Fact]
    public void Missing_exp_is_refused_unlike_the_seed_and_aws_jwt_verify()
    {
        var claims = Pool.IdClaims();
        claims.Remove("exp");
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void String_exp_is_refused()
    {
        var claims = Pool.IdClaims();
        claims["exp"] = "9999999999";
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Future_nbf_is_refused()
    {
        var claims = Pool.AccessClaims();
        claims["nbf"] = TestPool.Now.ToUnixTimeSeconds() + 3600;
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.IdToken(), Pool.Sign(claims))), "not-yet-valid");
    }

    [Fact]
    public void Future_iat_is_refused()
    {
        var claims = Pool.IdClaims();
        claims["iat"] = TestPool.Now.ToUnixTimeSeconds() + 3600;
        Verdict.Refused(Auth.FromCookieHeader(Session(Pool.Sign(claims), Pool.AccessToken())), "issued-in-future");
    }

    [Fact]
    public void Duplicate_claim_names_are_refused()
    {
        // Two parsers could read two different users from {"sub":"a",…,"sub":"b"}.
        var json = Pool.IdClaims().ToJsonString()[..^1] + ",\"cognito:username\":\"admin\"}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Duplicate_claim_names_spelled_with_escapes_are_refused()
    {
        var json = Pool.IdClaims().ToJsonString()[..^1] + ",\"\\u0073ub\":\"someone-else\"}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Duplicate_header_members_are_refused()
    {
        var header = $"{{\"kid\":\"{Pool.Kid}\",\"alg\":\"none\",\"alg\":\"RS256\"}}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(header, Pool.IdClaims().ToJsonString(), Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Duplicate_names_in_a_nested_object_are_refused()
    {
        var json = Pool.IdClaims().ToJsonString()[..^1] + ",\"identities\":[{\"userId\":\"1\",\"userId\":\"2\"}]}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Non_canonical_base64url_with_nonzero_trailing_bits_is_refused()
    {
        // Flipping the unused low bits of the last signature char keeps the decoded bytes the same:
        // a second spelling of the same token, which a strict decoder refuses.
        var token = Pool.IdToken();
        var last = token[^1];
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var index = Alphabet.IndexOf(last, StringComparison.Ordinal);
        // A 256-byte signature is 342 chars: the last char carries 4 unused bits, so bit 0 changes nothing decoded.
        var variant = Alphabet[index ^ 0x01];
        Assert.Equal(Jws.FromBase64Url(token.Split('.')[2]), Jws.FromBase64Url(token.Split('.')[2][..^1] + variant));
        var nonCanonical = token[..^1] + variant;
        Verdict.Refused(Auth.FromCookieHeader(Session(nonCanonical, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Oversized_cookie_header_is_refused_before_parsing() =>
        Verdict.Refused(Auth.FromCookieHeader(new string(';', 65 * 1024)), "too-large");

    [Fact]
    public void Oversized_token_is_refused_before_decoding() =>
        Verdict.Refused(Auth.FromCookieHeader(Session(new string('e', 20_000), Pool.AccessToken())), "too-large");

    [Fact]
    public void Deep_nesting_in_the_payload_is_refused()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var json = Pool.IdClaims().ToJsonString()[..^1] + $",\"deep\":{deep}}}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Deep_nesting_in_the_header_is_refused()
    {
        var header = $"{{\"kid\":\"{Pool.Kid}\",\"alg\":\"RS256\",\"x\":{new string('[', 100)}{new string(']', 100)}}}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(header, Pool.IdClaims().ToJsonString(), Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Control_characters_in_JSON_strings_are_refused()
    {
        var json = Pool.IdClaims().ToJsonString()[..^1] + ",\"note\":\"a\u0001b\"}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Control_characters_in_the_token_text_are_refused()
    {
        var token = Pool.IdToken().Insert(10, "\u0000");
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Invalid_UTF8_in_the_payload_is_refused()
    {
        var header = Jws.Base64Url(Pool.Header().ToJsonString());
        var payloadBytes = Encoding.UTF8.GetBytes(Pool.IdClaims().ToJsonString()[..^1] + ",\"x\":\"\"}");
        var bad = payloadBytes[..^2].Concat(new byte[] { 0xC3, 0x28, (byte)'"', (byte)'}' }).ToArray();
        var input = $"{header}.{Jws.Base64Url(bad)}";
        var token = $"{input}.{Jws.Base64Url(Pool.Key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Lone_surrogate_escapes_are_refused()
    {
        var json = Pool.IdClaims().ToJsonString()[..^1] + ",\"x\":\"\\ud800\"}";
        Verdict.Refused(Auth.FromCookieHeader(Session(Jws.Sign(Pool.Header().ToJsonString(), json, Pool.Key), Pool.AccessToken())), "malformed");
    }

    [Theory]
    [InlineData("jku", "\"https://evil.example/jwks.json\"")]
    [InlineData("x5u", "\"https://evil.example/cert.pem\"")]
    [InlineData("jwk", "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}")]
    [InlineData("x5c", "[\"MIIB\"]")]
    public void Embedded_or_remote_keys_in_the_header_are_never_trusted(string member, string value)
    {
        // Signed with a stranger's key that the header points at: still verified with the pool's own key.
        var header = $"{{\"kid\":\"{Pool.Kid}\",\"alg\":\"RS256\",\"{member}\":{value}}}";
        var token = Jws.Sign(header, Pool.IdClaims().ToJsonString(), TestPool.StrangerKey);
        Verdict.Refused(Auth.FromCookieHeader(Session(token, Pool.AccessToken())), "bad-signature");
    }

    [Fact]
    public void Tokens_of_two_different_users_cannot_be_combined()
    {
        var admin = Pool.Sign(Pool.IdClaims("admin", sub: "11111111-1111-4111-8111-111111111111", groups: ["admin"]));
        Verdict.Refused(Auth.FromCookieHeader(Session(admin, Pool.AccessToken())), "mismatched-tokens");
    }

    [Fact]
    public void A_signature_stripped_token_is_malformed()
    {
        var parts = Pool.IdToken().Split('.');
        Verdict.Refused(Auth.FromCookieHeader(Session($"{parts[0]}.{parts[1]}", Pool.AccessToken())), "malformed");
    }

    [Fact]
    public void Messages_never_contain_the_token()
    {
        var id = Pool.IdToken();
        var header = Session(id, id);
        var error = Verdict.Refused(Auth.FromCookieHeader(header), "wrong-token-use");
        foreach (var part in id.Split('.'))
        {
            Assert.DoesNotContain(part, error.Message);
        }
    }
}
