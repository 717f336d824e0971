using System.Text;
using BenchmarkDotNet.Attributes;

namespace Cognito.Bench;

/// <summary>
/// Where the time of a cold verification goes (issue 16, item 1): the whole <see cref="CognitoAuth.FromCookieHeader"/>
/// without a cache as the baseline, and each stage of docs/spec.md, "Stage order", on its own, for both
/// tokens of the scenario, in one run. The stages' rows and the baseline's remainder (the pipeline's own
/// glue: the Either binds, the rented buffer, telemetry's checks) add up to the baseline; bench/README.md
/// keeps that table. Each stage gets exactly the input the verifier gives it (decoded segments, located claims).
/// </summary>
[MemoryDiagnoser]
public class ColdPathAccounting
{
    private Scenario _scenario = null!;
    private CognitoAuth _cold = null!;
    private string _prefix = null!;
    private ConfiguredPool[] _pools = null!;
    private Audience _audience = null!;
    private Token _id = null!, _access = null!;
    private IdTokenClaims _idClaims = null!;
    private AccessTokenClaims _accessClaims = null!;
    private double _now;
    private ReadOnlyMemory<char> _idInHeader, _accessInHeader, _refreshInHeader;

    /// <summary>One token as the verifier holds it after each stage.</summary>
    private sealed class Token(string text, TokenSlot slot)
    {
        internal string Text { get; } = text;

        internal TokenSlot Slot { get; } = slot;

        internal byte[] Header { get; set; } = [];

        internal byte[] Payload { get; set; } = [];

        internal byte[] Signature { get; set; } = [];

        internal byte[] SigningInput { get; set; } = [];

        internal byte[] Kid { get; set; } = [];

        internal TokenPayload Claims;

        internal ConfiguredPool Pool { get; set; } = null!;

        internal PoolKey Key { get; set; } = null!;
    }

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        _cold = _scenario.Auth(sessionCacheSize: 0);
        _prefix = AmplifyCookieNames.Prefix(_scenario.Pool.ClientId);
        _pools = [new ConfiguredPool(_scenario.Pool.Pool, [.. _scenario.Keys.KeysOf(_scenario.Pool.Pool)])];
        _audience = new Audience([_scenario.Pool.ClientId]);
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        _id = Prepare(_scenario.IdToken, TokenSlot.Id);
        _access = Prepare(_scenario.AccessToken, TokenSlot.Access);
        _idInHeader = Slice(_scenario.IdToken);
        _accessInHeader = Slice(_scenario.AccessToken);
        _refreshInHeader = Slice(_scenario.RefreshToken);
        _idClaims = (IdTokenClaims)Build(_id);
        _accessClaims = (AccessTokenClaims)Build(_access);
        if (!Cold() || !FindSession() || !SplitAndDecode() || !CheckHeaders() || !CheckPayloads() || !IssuerAndKey()
            || !SigningInput() || !Rsa() || !ClaimRulesBoth() || BuildClaims() is null || PairAndSession() is null)
        {
            throw new InvalidOperationException("a stage refuses the scenario");
        }
    }

    private ReadOnlyMemory<char> Slice(string text) =>
        _scenario.Header.AsMemory(_scenario.Header.IndexOf(text, StringComparison.Ordinal), text.Length);

    private Token Prepare(string text, TokenSlot slot)
    {
        var token = new Token(text, slot);
        var segments = TokenText.Split(text)!.Value;
        token.Header = Decode(text.AsSpan()[segments.Header]);
        token.Payload = Decode(text.AsSpan()[segments.Payload]);
        token.Signature = Decode(text.AsSpan()[segments.Signature]);
        token.SigningInput = Encoding.ASCII.GetBytes(text[..text.LastIndexOf('.')]);
        var kid = new byte[token.Header.Length];
        token.Kid = JoseHeader.Read(token.Header, kid).Kid.ToArray();
        ClaimLocator.CheckAndLocate(token.Payload, ref token.Claims);
        token.Pool = ConfiguredPool.Issuing(_pools, ref token.Claims, token.Payload)!;
        token.Key = token.Pool.Key(token.Kid)!;
        return token;
    }

    private static byte[] Decode(ReadOnlySpan<char> segment)
    {
        var bytes = new byte[TokenText.DecodedLength(segment.Length)];
        return TokenText.TryDecode(segment, bytes, out _) ? bytes : throw new InvalidOperationException("not base64url");
    }

    private TokenClaims Build(Token token)
    {
        var claims = token.Claims;
        return VerifiedClaims.Build(token.Slot, token.Text.AsMemory(), token.Pool, token.Key, ref claims, token.Payload, _audience);
    }

    /// <summary>The whole cold path: what the rows below add up to.</summary>
    [Benchmark(Baseline = true)]
    public bool Cold() => _cold.FromCookieHeader(_scenario.Header).IsRight;

    /// <summary>Every stage row below, one after the other, in one operation: what the cold path would cost with no glue at all.</summary>
    [Benchmark]
    public bool StagesInARow() =>
        FindSession() & SplitAndDecode() & CheckHeaders() & CheckPayloads() & IssuerAndKey() & SigningInput() & Rsa() & ClaimRulesBoth()
        & BuildClaims() is not null & PairAndSession() is not null;

    /// <summary>Cookies: LastAuthUser, the cookie name K, the three token cookies in the 5.2 KB header.</summary>
    [Benchmark]
    public bool FindSession() => AmplifySession.Find(_scenario.Header, _prefix) is not null;

    /// <summary>Structure, text: three segments of each token, strict base64url into one buffer (as the verifier rents it).</summary>
    [Benchmark]
    public bool SplitAndDecode()
    {
        Span<byte> buffer = stackalloc byte[4096];
        return SplitAndDecode(_id.Text, buffer) & SplitAndDecode(_access.Text, buffer);
    }

    private static bool SplitAndDecode(string text, Span<byte> buffer)
    {
        if (TokenText.Split(text) is not { } segments)
        {
            return false;
        }

        var span = text.AsSpan();
        return TokenText.TryDecode(span[segments.Header], buffer, out var header)
            && TokenText.TryDecode(span[segments.Payload], buffer[header..], out var payload)
            && TokenText.TryDecode(span[segments.Signature], buffer[(header + payload)..], out _);
    }

    /// <summary>Structure and Alg, header: the strict JSON check of each JOSE header, then alg, kid and crit read.</summary>
    [Benchmark]
    public bool CheckHeaders()
    {
        Span<byte> kid = stackalloc byte[256];
        return CheckHeader(_id.Header, kid) & CheckHeader(_access.Header, kid);
    }

    private static bool CheckHeader(byte[] header, Span<byte> kid) =>
        JsonShape.Check(header) == JsonShapeFault.None && JoseHeader.Read(header, kid) is { IsRs256: true, HasKid: true, HasCrit: false };

    /// <summary>Structure, payload: the strict JSON check of each payload, locating the claims in the same pass.</summary>
    [Benchmark]
    public bool CheckPayloads()
    {
        var id = default(TokenPayload);
        var access = default(TokenPayload);
        return ClaimLocator.CheckAndLocate(_id.Payload, ref id) == JsonShapeFault.None
            & ClaimLocator.CheckAndLocate(_access.Payload, ref access) == JsonShapeFault.None;
    }

    /// <summary>Issuer and Key: the pool by iss (either form), the key by kid.</summary>
    [Benchmark]
    public bool IssuerAndKey() => IssuerAndKey(_id) & IssuerAndKey(_access);

    private bool IssuerAndKey(Token token) =>
        ConfiguredPool.Issuing(_pools, ref token.Claims, token.Payload) is { } pool && pool.Key(token.Kid) is not null;

    /// <summary>Signature, preparation: the signing input of each token as ASCII bytes.</summary>
    [Benchmark]
    public bool SigningInput()
    {
        Span<byte> buffer = stackalloc byte[4096];
        return SigningInput(_id.Text, buffer) + SigningInput(_access.Text, buffer) > 0;
    }

    private static int SigningInput(string text, Span<byte> buffer) => Encoding.ASCII.GetBytes(text.AsSpan(0, text.LastIndexOf('.')), buffer);

    /// <summary>Signature: RS256 through the verifier's call (the RSA floor, plus the modulus-length check).</summary>
    [Benchmark]
    public bool Rsa() =>
        Rs256.Verifies(_id.Key, _id.SigningInput, _id.Signature) & Rs256.Verifies(_access.Key, _access.SigningInput, _access.Signature);

    /// <summary>Claims: token_use, required claims and their types, the app client, the times.</summary>
    [Benchmark]
    public bool ClaimRulesBoth() => Rules(_id) & Rules(_access);

    private bool Rules(Token token)
    {
        var claims = token.Claims;
        return ClaimRules.Check(token.Slot, ref claims, token.Payload, _audience, _now, 60) is null;
    }

    /// <summary>The verified claims objects and their strings (the token text included: a copy out of the header).</summary>
    [Benchmark]
    public object BuildClaims()
    {
        var id = _id.Claims;
        var access = _access.Claims;
        VerifiedClaims.Build(TokenSlot.Id, _idInHeader, _id.Pool, _id.Key, ref id, _id.Payload, _audience);
        return VerifiedClaims.Build(TokenSlot.Access, _accessInHeader, _access.Pool, _access.Key, ref access, _access.Payload, _audience);
    }

    /// <summary>Pair: the two tokens are one user; the session object with the refresh token's string.</summary>
    [Benchmark]
    public AuthTokens? PairAndSession() =>
        TokenPair.Check(_idClaims, _accessClaims) is null
            ? new AuthTokens(_idClaims, _accessClaims, _refreshInHeader.ToString())
            : null;
}

/// <summary>
/// Where the time of a repeat visit goes: <see cref="CognitoAuth.FromCookieHeader"/> with the session
/// cached, against its two stages on their own (finding the session's cookies, the cache's answer with
/// its exact-text comparisons and the times re-checked); the rest is the pipeline's glue.
/// </summary>
[MemoryDiagnoser]
public class WarmPathAccounting
{
    private Scenario _scenario = null!;
    private CognitoAuth _warm = null!;
    private SessionCache _cache = null!;
    private SessionCookies _session;
    private string _prefix = null!;
    private double _now;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new Scenario();
        _warm = _scenario.Auth(sessionCacheSize: 1024);
        _prefix = AmplifyCookieNames.Prefix(_scenario.Pool.ClientId);
        _session = AmplifySession.Find(_scenario.Header, _prefix)!.Value;
        _cache = new SessionCache(16);
        _cache.Add(_warm.FromCookieHeader(_scenario.Header).Case as AuthTokens ?? throw new InvalidOperationException("the scenario's session does not verify"));
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        if (!Warm() || !FindSession() || !CacheFind())
        {
            throw new InvalidOperationException("a stage refuses the scenario");
        }
    }

    [Benchmark(Baseline = true)]
    public bool Warm() => _warm.FromCookieHeader(_scenario.Header).IsRight;

    [Benchmark]
    public bool FindSession() => AmplifySession.Find(_scenario.Header, _prefix) is not null;

    [Benchmark]
    public bool CacheFind() => _cache.Find(_session, _now, 60) is not null;

    [Benchmark]
    public double Clock() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
