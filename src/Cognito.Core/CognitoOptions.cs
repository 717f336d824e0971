namespace Cognito;

/// <summary>
/// What a <see cref="CognitoAuth"/> verifies against: the user pool(s), the app client, the keys,
/// the clock and its skew, and the size limits.
/// </summary>
public sealed record CognitoOptions
{
    /// <summary>Default clock skew for exp, nbf and iat.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Largest clock skew accepted: more would keep expired sessions alive.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The user pools whose tokens are accepted (usually one).</summary>
    public required IReadOnlyList<UserPool> UserPools { get; init; }

    private readonly string? _clientId;
    private readonly IReadOnlyList<string>? _clientIds;

    /// <summary>
    /// The app client id (USER_POOL_CLIENT_ID); also names Amplify's cookies. The one-client shorthand
    /// of <see cref="ClientIds"/>: with several clients, the first of them.
    /// </summary>
    public string ClientId
    {
        get => _clientId ?? (_clientIds is { Count: > 0 } ids ? ids[0] : null!);
        init => _clientId = value;
    }

    /// <summary>
    /// Every app client whose tokens are accepted (a web and a mobile client of one pool, say), in order:
    /// the cookie reader looks for each client's Amplify session in this order, and a token's
    /// <c>aud</c> / <c>client_id</c> must be one of them — for a cookie session, the client whose cookies
    /// carried it. Default: <see cref="ClientId"/> alone. When both are set, <see cref="ClientId"/> must be one of these.
    /// </summary>
    public IReadOnlyList<string> ClientIds
    {
        get => _clientIds ?? (_clientId is null ? [] : [_clientId]);
        init => _clientIds = value;
    }

    /// <summary>
    /// The public keys (pems.json or JWKS); must hold keys for every configured pool unless
    /// <see cref="LiveKeys"/> has a JWKS address for it.
    /// </summary>
    public KeySet? Keys { get; init; }

    /// <summary>
    /// Keys that follow rotation (a JWKS address per pool). When set, it is the key source and
    /// <see cref="Keys"/> is ignored.
    /// </summary>
    public LiveKeySet? LiveKeys { get; init; }

    /// <summary>Allowed clock difference for exp, nbf and iat (default 60 s, at most 5 min).</summary>
    public TimeSpan ClockSkew { get; init; } = DefaultClockSkew;

    /// <summary>The clock; <see cref="TimeProvider.System"/> unless a test or replay pins it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Longest Cookie header read, in characters (default 64 KiB).</summary>
    public int MaxCookieHeaderLength { get; init; } = 64 * 1024;

    /// <summary>Longest token read, in characters (default 16 KiB).</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>
    /// How many verified sessions to keep (default 4,096; 0 turns the cache off). A session seen again
    /// (same id, access and refresh token text) costs a lookup instead of two RSA verifications; every
    /// hit re-checks exp, nbf and iat, and sessions whose key leaves the key set are dropped.
    /// </summary>
    public int SessionCacheSize { get; init; } = 4096;

    /// <summary>Options for one pool.</summary>
    public static CognitoOptions For(string region, string userPoolId, string clientId, KeySet keys) =>
        new() { UserPools = [new UserPool(region, userPoolId)], ClientId = clientId, Keys = keys };
}
