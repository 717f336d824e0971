using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Cognito.TestKit;

namespace Cognito.Bench;

/// <summary>
/// The hot path against its physical floor and against what a .NET developer would write today, all on
/// one header and one pair of tokens so the ratios come from one run. Baseline: the two RSA
/// verifications alone.
/// </summary>
[MemoryDiagnoser]
public class FromCookieHeaderBenchmarks
{
    private Scenario _scenario = null!;
    private CognitoAuth _cold = null!;
    private CognitoAuth _warm = null!;
    private RSA _rsa = null!;
    private byte[] _idInput = null!, _idSignature = null!, _accessInput = null!, _accessSignature = null!;
    private string _badSignature = null!, _malformed = null!, _noSession = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _idParameters = null!, _accessParameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        _cold = _scenario.Auth(sessionCacheSize: 0);
        _warm = _scenario.Auth(sessionCacheSize: 1024);
        if (!_warm.FromCookieHeader(_scenario.Header).IsRight || !_cold.FromCookieHeader(_scenario.Header).IsRight)
        {
            throw new InvalidOperationException("the scenario's session does not verify");
        }

        _rsa = RSA.Create();
        _rsa.ImportFromPem(_scenario.Pool.Key.ExportSubjectPublicKeyInfoPem());
        (_idInput, _idSignature) = Split(_scenario.IdToken);
        (_accessInput, _accessSignature) = Split(_scenario.AccessToken);

        // A tampered signature: its last byte changed, so it stays below the modulus and costs a full RSA
        // operation (a random 256-byte value may exceed the modulus and be refused before any arithmetic).
        var tampered = Jws.FromBase64Url(_scenario.IdToken[(_scenario.IdToken.LastIndexOf('.') + 1)..]);
        tampered[^1] ^= 0x01;
        var forged = $"{_scenario.IdToken[.._scenario.IdToken.LastIndexOf('.')]}.{Jws.Base64Url(tampered)}";
        _badSignature = _scenario.Header.Replace(_scenario.IdToken, forged, StringComparison.Ordinal);
        var parts = _scenario.IdToken.Split('.');
        _malformed = _scenario.Header.Replace(_scenario.IdToken, $"{parts[0]}.{parts[1]}=.{parts[2]}", StringComparison.Ordinal);
        _noSession = Scenario.Filler(_scenario.Header.Length);
        Expect(_cold.FromCookieHeader(_badSignature), "bad-signature");
        Expect(_cold.FromCookieHeader(_malformed), "malformed");
        Expect(_cold.FromCookieHeader(_noSession), "no-session");

        _handler = new JsonWebTokenHandler { MapInboundClaims = false };
        var key = new RsaSecurityKey(_rsa) { KeyId = _scenario.Pool.Kid };
        _idParameters = new TokenValidationParameters
        {
            ValidIssuer = _scenario.Pool.Issuer,
            ValidAudience = _scenario.Pool.ClientId,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(60),
        };
        _accessParameters = _idParameters.Clone();
        _accessParameters.ValidateAudience = false; // Cognito access tokens carry client_id, not aud
        if (!_warm.VerifyAccessToken(_scenario.AccessToken).IsRight || !_cold.VerifyAccessToken(_scenario.AccessToken).IsRight)
        {
            throw new InvalidOperationException("the scenario's access token does not verify as a bearer token");
        }

        if (!JsonWebTokenHandler().GetAwaiter().GetResult() || !JsonWebTokenHandlerAccess().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("JsonWebTokenHandler refuses the scenario");
        }
    }

    private static (byte[] Input, byte[] Signature) Split(string token)
    {
        var last = token.LastIndexOf('.');
        return (Encoding.ASCII.GetBytes(token[..last]), Jws.FromBase64Url(token[(last + 1)..]));
    }

    private static void Expect(LanguageExt.Either<AuthError, AuthTokens> result, string code)
    {
        if (result.Case is not AuthError { } error || error.Code != code)
        {
            throw new InvalidOperationException($"expected {code}, got {result}");
        }
    }

    [Benchmark(Baseline = true)]
    public bool RawRsaFloor() =>
        _rsa.VerifyData(_idInput, _idSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        & _rsa.VerifyData(_accessInput, _accessSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public bool RawRsaSingle() => _rsa.VerifyData(_idInput, _idSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public bool FromCookieHeaderCold() => _cold.FromCookieHeader(_scenario.Header).IsRight;

    [Benchmark]
    public bool FromCookieHeaderWarm() => _warm.FromCookieHeader(_scenario.Header).IsRight;

    /// <summary>What one would write with Microsoft.IdentityModel.JsonWebTokens: split the cookies, validate both tokens, check token_use, client_id and the pair.</summary>
    [Benchmark]
    public async Task<bool> JsonWebTokenHandler()
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in _scenario.Header.Split(';'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                cookies.TryAdd(pair[..eq].Trim(), Uri.UnescapeDataString(pair[(eq + 1)..].Trim()));
            }
        }

        var prefix = $"CognitoIdentityServiceProvider.{_scenario.Pool.ClientId}";
        if (!cookies.TryGetValue($"{prefix}.LastAuthUser", out var user))
        {
            return false;
        }

        var key = Uri.EscapeDataString(user);
        if (!cookies.TryGetValue($"{prefix}.{key}.idToken", out var id) || !cookies.TryGetValue($"{prefix}.{key}.accessToken", out var access))
        {
            return false;
        }

        var idResult = await _handler.ValidateTokenAsync(id, _idParameters).ConfigureAwait(false);
        if (!idResult.IsValid || idResult.Claims["token_use"] as string != "id")
        {
            return false;
        }

        var accessResult = await _handler.ValidateTokenAsync(access, _accessParameters).ConfigureAwait(false);
        return accessResult.IsValid
               && accessResult.Claims["token_use"] as string == "access"
               && accessResult.Claims["client_id"] as string == _scenario.Pool.ClientId
               && accessResult.Claims["sub"] as string == idResult.Claims["sub"] as string
               && accessResult.Claims["username"] as string == idResult.Claims["cognito:username"] as string;
    }

    /// <summary>One access token from an <c>Authorization: Bearer</c> header, verified with no cache (compare with <see cref="RawRsaSingle"/>).</summary>
    [Benchmark]
    public bool VerifyAccessTokenCold() => _cold.VerifyAccessToken(_scenario.AccessToken).IsRight;

    /// <summary>The same bearer token seen again: a lookup of its text with its times checked.</summary>
    [Benchmark]
    public bool VerifyAccessTokenWarm() => _warm.VerifyAccessToken(_scenario.AccessToken).IsRight;

    /// <summary>What AddJwtBearer does for the bearer token: JsonWebTokenHandler, plus the checks it lacks (token_use, client_id).</summary>
    [Benchmark]
    public async Task<bool> JsonWebTokenHandlerAccess()
    {
        var result = await _handler.ValidateTokenAsync(_scenario.AccessToken, _accessParameters).ConfigureAwait(false);
        return result.IsValid
               && result.Claims["token_use"] as string == "access"
               && result.Claims["client_id"] as string == _scenario.Pool.ClientId;
    }

    [Benchmark]
    public bool RejectBadSignature() => _cold.FromCookieHeader(_badSignature).IsLeft;

    [Benchmark]
    public bool RejectMalformed() => _cold.FromCookieHeader(_malformed).IsLeft;

    [Benchmark]
    public bool RejectNoSession() => _cold.FromCookieHeader(_noSession).IsLeft;
}
