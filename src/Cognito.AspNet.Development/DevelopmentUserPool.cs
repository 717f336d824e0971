using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cognito.AspNet.Development;

/// <summary>
/// A development-only stand-in for a Cognito user pool (docs/spec.md, "Development user pool"): hosted-UI sign-in form, token
/// endpoint (authorization_code with PKCE, refresh_token), logout, revoke and JWKS, on the app's own
/// loopback address under <see cref="PathBase"/>. It mints tokens with Cognito's claims and issuer
/// format, signed with a key made at start and kept in memory. Its region <c>local</c> is not an AWS
/// region, so its pool id can never be a real one.
/// </summary>
public sealed class DevelopmentUserPool : IDisposable
{
    /// <summary>The pool's region: not an AWS region.</summary>
    public const string Region = "local";

    /// <summary>The pool id.</summary>
    public const string UserPoolId = "local_DevelopmentPool";

    /// <summary>The app client id.</summary>
    public const string ClientId = "localdevelopmentclient0000";

    /// <summary>Its machine client (client-credentials grant, custom scopes; see <see cref="MachineClientSecret"/>).</summary>
    public const string MachineClientId = "localmachineclient000000";

    /// <summary>Where its endpoints are served on the app.</summary>
    public const string PathBase = "/_cognito-dev";

    private const string Kid = "local-development-key";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RSA _key = RSA.Create(2048);
    private readonly SigningCredentials _credentials;
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshEntry> _refreshTokens = new(StringComparer.Ordinal);

    /// <summary>A development pool on this clock.</summary>
    public DevelopmentUserPool(TimeProvider? clock = null)
    {
        Clock = clock ?? TimeProvider.System;
        Pool = new UserPool(Region, UserPoolId);
        _credentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = Kid }, SecurityAlgorithms.RsaSha256);
        Keys = Jwks.Parse(Pool, JwksDocument()).Match(
            Right: static keys => keys,
            Left: static error => throw new InvalidOperationException($"the development pool's own key does not load: {error.Message}"));
    }

    /// <summary>The pool.</summary>
    public UserPool Pool { get; }

    /// <summary>Its public key.</summary>
    public KeySet Keys { get; }

    /// <summary>The clock tokens are minted with.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Lifetime of the id and access tokens it mints (Cognito's default: 1 hour).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A client secret the token endpoint requires with HTTP Basic (none by default).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Callback URLs accepted; when empty, any <c>{origin}/…/callback</c> or <c>/…/token</c> on the request's own origin.</summary>
    public IList<string> CallbackUrls { get; } = [];

    /// <summary>The machine client's secret (HTTP Basic on the token endpoint), made at start.</summary>
    public string MachineClientSecret { get; set; } = Random(24);

    /// <summary>The custom scopes of its resource server that the machine client may ask for.</summary>
    public IList<string> MachineScopes { get; } = ["orders/read", "orders/write"];

    /// <summary>
    /// Refresh-token rotation, as an app client with it turned on: each refresh answers a new refresh
    /// token, and the one presented keeps working for <see cref="RefreshTokenGracePeriod"/> only.
    /// </summary>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>With <see cref="RotateRefreshTokens"/>: how long a replaced refresh token still works (the app client's <c>RetryGracePeriodSeconds</c>, 0–60 s).</summary>
    public TimeSpan RefreshTokenGracePeriod { get; set; }

    /// <summary>Mint tokens with the updated issuer form (<c>https://issuer-cognito-idp.local.amazonaws.com/…</c>), as a pool whose issuer configuration is <c>UPDATED</c>.</summary>
    public bool UpdatedIssuer { get; set; }

    private string Iss => UpdatedIssuer ? Pool.UpdatedIssuer : Pool.Issuer;

    internal TimeSpan CodeLifetime { get; } = TimeSpan.FromMinutes(5);


    /// <summary>The JWKS document of its key.</summary>
    public string JwksDocument()
    {
        var p = _key.ExportParameters(false);
        var key = new JsonObject
        {
            ["alg"] = "RS256",
            ["e"] = Base64Url.EncodeToString(p.Exponent!),
            ["kid"] = Kid,
            ["kty"] = "RSA",
            ["n"] = Base64Url.EncodeToString(p.Modulus!),
            ["use"] = "sig",
        };
        return new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString();
    }

    internal string IssueCode(AuthorizationCode code)
    {
        var value = Random(32);
        _codes[value] = code;
        return value;
    }

    /// <summary>A code is good once: taking it removes it, so a replay finds nothing.</summary>
    internal AuthorizationCode? TakeCode(string code) =>
        _codes.TryRemove(code, out var taken) && taken.ExpiresAt > Clock.GetUtcNow() ? taken : null;

    internal string IssueRefreshToken(Grant grant)
    {
        var value = Random(64);
        _refreshTokens[value] = new RefreshEntry(grant, ReplacedAt: null);
        return value;
    }

    /// <summary>
    /// A refresh with <paramref name="token"/>: its grant, and with rotation the refresh token that
    /// replaces it (the presented one then works for the grace period only); null when the token is
    /// unknown, revoked, or replaced longer ago than the grace period.
    /// </summary>
    internal (Grant Grant, string? Replacement)? UseRefreshToken(string token)
    {
        if (!_refreshTokens.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (!RotateRefreshTokens)
        {
            return (entry.Grant, null);
        }

        var now = Clock.GetUtcNow();
        if (entry.ReplacedAt is { } replaced && now - replaced > RefreshTokenGracePeriod)
        {
            _refreshTokens.TryRemove(new KeyValuePair<string, RefreshEntry>(token, entry));
            return null;
        }

        _refreshTokens.TryUpdate(token, entry with { ReplacedAt = entry.ReplacedAt ?? now }, entry);
        return (entry.Grant, IssueRefreshToken(entry.Grant));
    }

    internal bool Revoke(string token) => _refreshTokens.TryRemove(token, out _);

    /// <summary>Mints an id token and an access token as Cognito does for a hosted-UI sign-in.</summary>
    internal (string IdToken, string AccessToken) Mint(Grant grant)
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var exp = now + (long)TokenLifetime.TotalSeconds;
        var sub = SubOf(grant.Username);
        var originJti = grant.OriginJti;
        var id = new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["email_verified"] = true,
            ["iss"] = Iss,
            ["cognito:username"] = grant.Username,
            ["origin_jti"] = originJti,
            ["aud"] = ClientId,
            ["token_use"] = "id",
            ["auth_time"] = grant.AuthTime,
            ["exp"] = exp,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString(),
            ["email"] = $"{grant.Username}@example.invalid",
        };
        var access = new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["iss"] = Iss,
            ["version"] = 2,
            ["client_id"] = ClientId,
            ["origin_jti"] = originJti,
            ["token_use"] = "access",
            ["scope"] = grant.Scope,
            ["auth_time"] = grant.AuthTime,
            ["exp"] = exp,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString(),
            ["username"] = grant.Username,
        };
        if (grant.Groups.Count > 0)
        {
            id["cognito:groups"] = grant.Groups.ToArray();
            access["cognito:groups"] = grant.Groups.ToArray();
        }

        return (Sign(id), Sign(access));
    }

    /// <summary>Mints an access token of the client-credentials grant: sub and client_id are the machine client, no username, no groups.</summary>
    internal string MintMachine(string scope)
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        return Sign(new Dictionary<string, object>
        {
            ["sub"] = MachineClientId,
            ["token_use"] = "access",
            ["scope"] = scope,
            ["auth_time"] = now,
            ["iss"] = Iss,
            ["exp"] = now + (long)TokenLifetime.TotalSeconds,
            ["iat"] = now,
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["client_id"] = MachineClientId,
        });
    }

    /// <summary>A stable sub per username (a UUID from its hash), as Cognito keeps one sub per user.</summary>
    internal static string SubOf(string username)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(username));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>
    /// Signs a payload with Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>: RS256 with the
    /// pool's key and kid; the times are the claims' own (Cognito's tokens carry no <c>nbf</c>).
    /// </summary>
    private string Sign(Dictionary<string, object> claims) =>
        Handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = _credentials });

    internal static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    internal sealed record AuthorizationCode(Grant Grant, string ClientId, string RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);

    internal sealed record Grant(string Username, IReadOnlyList<string> Groups, string Scope, long AuthTime)
    {
        /// <summary>
        /// The sign-in's token-revocation id: Cognito's <c>origin_jti</c> stays the same in every token
        /// minted from one sign-in's refresh token, so a session keeps one id across refreshes.
        /// </summary>
        internal string OriginJti { get; } = Guid.NewGuid().ToString();
    }

    private sealed record RefreshEntry(Grant Grant, DateTimeOffset? ReplacedAt);
}
