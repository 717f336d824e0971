using LanguageExt;

namespace Cognito;

/// <summary>
/// Verifies Amplify's Cognito cookies: the facade over the pipeline of docs/spec.md, "Stage order". Build it once (it holds
/// the keys) and call it from any thread.
/// <code>
/// var auth = CognitoAuth.FromEnvironment(PemsFile.Load("pems.json"));
/// auth.FromCookieHeader(request.Headers.Cookie).Match(
///     Right: tokens => $"Welcome {tokens.Username}",
///     Left: error => $"Welcome anonymous ({error.Code})");
/// </code>
/// </summary>
public sealed partial class CognitoAuth
{
    private readonly string[] _clientIds;
    private readonly string[] _cookiePrefixes;
    private readonly int _maxHeaderLength;
    private readonly TokenVerifier _verifier;
    private readonly LiveKeySet? _live;
    private readonly UserPool[] _userPools;
    private readonly SessionCache? _cache;
    private readonly VerifiedCache<TokenClaims>? _tokens;
    private readonly TimeProvider _clock;
    private readonly double _skew;
    private readonly object _installing = new();

    /// <summary>Builds a verifier; throws at start-up, with what to fix, on a broken configuration.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    /// <exception cref="KeySetException">A configured pool has no keys in the key set.</exception>
    public CognitoAuth(CognitoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClientIds is not { Count: > 0 } clientIds
            || clientIds.Any(id => string.IsNullOrEmpty(id) || id.AsSpan().ContainsAnyExceptInRange('!', '~') || id.AsSpan().IndexOfAny(";=,\"") >= 0))
        {
            throw new ArgumentException("The app client id (USER_POOL_CLIENT_ID) is empty or has characters no cookie name can hold.", nameof(options));
        }

        if (!clientIds.Contains(options.ClientId, StringComparer.Ordinal) || clientIds.Distinct(StringComparer.Ordinal).Count() != clientIds.Count)
        {
            throw new ArgumentException("ClientIds must list each app client once, ClientId among them (it is the first one when only ClientIds is set).", nameof(options));
        }

        if (options.UserPools is not { Count: > 0 })
        {
            throw new ArgumentException("No user pool configured: set the region and user pool id (USER_POOL_REGION, USER_POOL_ID).", nameof(options));
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > CognitoOptions.MaxClockSkew)
        {
            throw new ArgumentException($"ClockSkew must be between 0 and {CognitoOptions.MaxClockSkew.TotalSeconds:0} s.", nameof(options));
        }

        if (options.SessionCacheSize < 0)
        {
            throw new ArgumentException("SessionCacheSize must be 0 (off) or more.", nameof(options));
        }

        if (options.MaxTokenLength < 1 || options.MaxCookieHeaderLength < options.MaxTokenLength)
        {
            throw new ArgumentException("MaxTokenLength must be positive and MaxCookieHeaderLength at least as large.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (options.Keys is null && options.LiveKeys is null)
        {
            throw new ArgumentException("No keys: set Keys (pems.json, JWKS) or LiveKeys.", nameof(options));
        }

        _live = options.LiveKeys;
        _userPools = [.. options.UserPools.Distinct()];
        var pools = ConfigurePools(_userPools, _live?.Current ?? options.Keys!, _live, startUp: true);

        Options = options;
        _cache = options.SessionCacheSize > 0 ? new SessionCache(options.SessionCacheSize) : null;
        _tokens = options.SessionCacheSize > 0 ? new VerifiedCache<TokenClaims>(options.SessionCacheSize) : null;
        _clock = options.TimeProvider;
        _skew = options.ClockSkew.TotalSeconds;
        _clientIds = [.. clientIds];
        _cookiePrefixes = [.. _clientIds.Select(AmplifyCookieNames.Prefix)];
        _maxHeaderLength = options.MaxCookieHeaderLength;
        _verifier = new TokenVerifier(
            pools,
            new Audience(_clientIds),
            options.TimeProvider,
            options.ClockSkew.TotalSeconds,
            options.MaxTokenLength);
        if (_live is not null)
        {
            // Subscribe, then install what is current now: a change made while this constructor ran is
            // not lost between reading the keys above and subscribing.
            _live.Changed += _ => InstallCurrentKeys();
            InstallCurrentKeys();
        }
    }

    /// <summary>
    /// Puts the live key set's newest keys in the verifier. Reads <see cref="LiveKeySet.Current"/> under
    /// a lock rather than trusting the order notifications arrive in: whichever call runs last installs
    /// the newest set, so the verifier never goes back to an older one.
    /// </summary>
    private void InstallCurrentKeys()
    {
        lock (_installing)
        {
            var configured = ConfigurePools(_userPools, _live!.Current, _live, startUp: false);
            _verifier.Pools = configured;
            var keys = configured.SelectMany(pool => pool.Keys).Select(key => key.Identity).ToHashSet();
            _cache?.Retain(keys);
            _tokens?.Retain(keys);
        }
    }

    /// <summary>The verifier's view of each pool. At start-up a pool with no keys and no JWKS address is a broken configuration; later it only refuses its tokens.</summary>
    private static ConfiguredPool[] ConfigurePools(UserPool[] userPools, KeySet keySet, LiveKeySet? live, bool startUp) =>
        userPools.Select(pool =>
        {
            var keys = keySet.KeysOf(pool);
            if (startUp && keys.Count == 0 && live?.HasSource(pool) != true)
            {
                throw new KeySetException(
                    $"The key set has no keys for user pool {pool.UserPoolId} (region {pool.Region}). " +
                    $"Run `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId}` to add them to pems.json.");
            }

            return new ConfiguredPool(pool, [.. keys]);
        }).ToArray();

    /// <summary>The options this verifier was built with.</summary>
    public CognitoOptions Options { get; }

    /// <summary>
    /// The seed's set-up in one line: pool and app client from <c>USER_POOL_REGION</c>,
    /// <c>USER_POOL_ID</c> and <c>USER_POOL_CLIENT_ID</c>, keys from pems.json.
    /// </summary>
    /// <exception cref="ArgumentException">A variable is missing, naming it.</exception>
    public static CognitoAuth FromEnvironment(KeySet keys, TimeProvider? timeProvider = null)
    {
        static string Required(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
                ? value
                : throw new ArgumentException($"The environment variable {name} is not set (the seed's USER_POOL_REGION, USER_POOL_ID and USER_POOL_CLIENT_ID are required).");

        return new CognitoAuth(CognitoOptions.For(Required("USER_POOL_REGION"), Required("USER_POOL_ID"), Required("USER_POOL_CLIENT_ID"), keys) with
        {
            TimeProvider = timeProvider ?? TimeProvider.System,
        });
    }

    /// <summary>
    /// The session in a Cookie header, verified: cookie header → Amplify cookie names → token text →
    /// header/payload → key → signature → claims → pair. Never throws; every refusal is a <c>Left</c>.
    /// </summary>
    public Either<AuthError, AuthTokens> FromCookieHeader(string? cookieHeader) =>
        CognitoTelemetry.Observe(SessionOf(cookieHeader), CognitoTelemetry.SessionKind, CognitoTelemetry.Start());

    private Either<AuthError, AuthTokens> SessionOf(string? cookieHeader) =>
        WatchForRotation(Session(cookieHeader, checkTimes: true));

    /// <summary>The one chain of stages from a Cookie header to a verified session.</summary>
    private Either<AuthError, AuthTokens> Session(string? cookieHeader, bool checkTimes) =>
        Progress.Start(this, cookieHeader, checkTimes)
            .Bind(Progress.CookieHeaderSize)
            .Bind(Progress.AmplifySession)
            .Bind(Progress.TokenSizes)
            .Bind(Progress.VerifiedSession);

    /// <summary>
    /// The session in a Cookie header verified in full except for the times (exp, nbf, iat), and never
    /// cached: for the adapter to decide whether an expired session may be refreshed or its refresh
    /// token revoked. Such a session is not signed in.
    /// </summary>
    internal Either<AuthError, AuthTokens> FromCookieHeaderIgnoringTimes(string? cookieHeader) =>
        Session(cookieHeader, checkTimes: false);

    /// <summary>
    /// <see cref="FromCookieHeader"/>, and when a token's kid is unknown and <see cref="CognitoOptions.LiveKeys"/>
    /// can fetch the pool's JWKS, waits for that (shared, rate-limited) fetch and tries once more.
    /// Known kids never wait.
    /// </summary>
    public ValueTask<Either<AuthError, AuthTokens>> FromCookieHeaderAsync(string? cookieHeader) =>
        CognitoTelemetry.Observe(WithFetchedKeys(cookieHeader, static (auth, header) => auth.SessionOf(header)), CognitoTelemetry.SessionKind, CognitoTelemetry.Start());

    /// <summary>
    /// Runs a verification; when it found an unknown kid, waits for the configured pools' key fetch and,
    /// if the keys changed meanwhile, runs it once more. The one home of the async retry: a known kid
    /// completes synchronously, with no allocation.
    /// </summary>
    private ValueTask<Either<AuthError, T>> WithFetchedKeys<TInput, T>(TInput input, Func<CognitoAuth, TInput, Either<AuthError, T>> verify)
    {
        var keys = _verifier.Pools;
        var result = verify(this, input);
        return IsUnknownKey(result) ? Retried(keys, input, verify, result) : new(result);
    }

    private async ValueTask<Either<AuthError, T>> Retried<TInput, T>(ConfiguredPool[] keys, TInput input, Func<CognitoAuth, TInput, Either<AuthError, T>> verify, Either<AuthError, T> first) =>
        await KeysChangedAsync(keys).ConfigureAwait(false) ? verify(this, input) : first;

    private static bool IsUnknownKey<T>(Either<AuthError, T> result) =>
        result.Match(Right: static _ => false, Left: static error => error.Failure == AuthFailure.UnknownKey);

    /// <summary>
    /// Waits for the configured pools' key fetch (started, joined, or held back by the penalty box);
    /// true when the verifier's keys changed since <paramref name="before"/> was read — by this fetch,
    /// or by one that finished first (the synchronous verification may have started it, and a fast
    /// fetch ends before it can be joined: its keys are then installed, and the answer is to try again).
    /// </summary>
    private async Task<bool> KeysChangedAsync(ConfiguredPool[] before)
    {
        await RefreshKeysAsync().ConfigureAwait(false);
        return !ReferenceEquals(before, _verifier.Pools);
    }

    /// <summary>Starts (or joins) a JWKS fetch of every configured pool that has an address.</summary>
    private Task RefreshKeysAsync() =>
        _live is null ? Task.CompletedTask : Task.WhenAll(_userPools.Select(_live.RefreshAsync));

    private Either<AuthError, T> WatchForRotation<T>(Either<AuthError, T> result)
    {
        if (_live is not null && IsUnknownKey(result))
        {
            // The synchronous path never waits: it asks for a refresh and answers now.
            _ = RefreshKeysAsync();
        }

        return result;
    }

    /// <summary>An id token and access token given directly (not from cookies), verified as one session.</summary>
    public Either<AuthError, AuthTokens> FromTokens(string? idToken, string? accessToken) =>
        CognitoTelemetry.Observe(SessionOf(idToken, accessToken), CognitoTelemetry.SessionKind, CognitoTelemetry.Start());

    private Either<AuthError, AuthTokens> SessionOf(string? idToken, string? accessToken) =>
        string.IsNullOrEmpty(idToken) || string.IsNullOrEmpty(accessToken)
            ? Refusals.NoToken
            : WatchForRotation(Progress.Found(this, new SessionCookies(idToken.AsMemory(), accessToken.AsMemory(), null))
                .Bind(Progress.TokenSizes)
                .Bind(Progress.VerifiedSession));

    /// <summary><see cref="FromTokens"/>, waiting for a key fetch when a kid is unknown (see <see cref="FromCookieHeaderAsync"/>).</summary>
    public ValueTask<Either<AuthError, AuthTokens>> FromTokensAsync(string? idToken, string? accessToken) =>
        CognitoTelemetry.Observe(WithFetchedKeys((idToken, accessToken), static (auth, tokens) => auth.SessionOf(tokens.idToken, tokens.accessToken)), CognitoTelemetry.SessionKind, CognitoTelemetry.Start());

    /// <summary>One id token verified on its own (e.g. from a bearer header).</summary>
    public Either<AuthError, IdTokenClaims> VerifyIdToken(string? token) =>
        CognitoTelemetry.Observe(Verify<IdTokenClaims>(TokenSlot.Id, token.AsMemory()), CognitoTelemetry.IdKind, CognitoTelemetry.Start());

    /// <summary><see cref="VerifyAccessToken"/>, waiting for a key fetch when its kid is unknown (see <see cref="FromCookieHeaderAsync"/>): what a bearer API calls.</summary>
    public ValueTask<Either<AuthError, AccessTokenClaims>> VerifyAccessTokenAsync(string? token) => VerifyAccessTokenAsync(token.AsMemory());

    /// <summary>
    /// <see cref="VerifyAccessTokenAsync(string?)"/> for a token that is a slice of a larger text (an
    /// <c>Authorization</c> header): never copied on a cache hit.
    /// </summary>
    public ValueTask<Either<AuthError, AccessTokenClaims>> VerifyAccessTokenAsync(ReadOnlyMemory<char> token) =>
        CognitoTelemetry.Observe(WithFetchedKeys(token, static (auth, text) => auth.Verify<AccessTokenClaims>(TokenSlot.Access, text)), CognitoTelemetry.AccessKind, CognitoTelemetry.Start());

    /// <summary>
    /// One access token verified on its own (e.g. from an <c>Authorization: Bearer</c> header). A token
    /// verified before is a lookup of its exact text with its times checked again, like a session.
    /// </summary>
    public Either<AuthError, AccessTokenClaims> VerifyAccessToken(string? token) =>
        CognitoTelemetry.Observe(Verify<AccessTokenClaims>(TokenSlot.Access, token.AsMemory()), CognitoTelemetry.AccessKind, CognitoTelemetry.Start());

    private Either<AuthError, T> Verify<T>(TokenSlot slot, ReadOnlyMemory<char> token)
        where T : TokenClaims
    {
        if (token.IsEmpty)
        {
            return Refusals.NoToken;
        }

        // The cache holds both kinds under their text: a hit counts only as the kind asked for.
        if (_tokens is not null)
        {
            var found = _tokens.TryFind(token.Span, Now, _skew, out var seen) && seen is T;
            CognitoTelemetry.CacheLookup(found, CognitoTelemetry.TokenCache);
            if (found)
            {
                return (T)seen!;
            }
        }

        if (_verifier.Verify(slot, token, out var claims) is { } error)
        {
            return WatchForRotation(Either<AuthError, T>.Left(error));
        }

        var verified = (T)claims!;
        _tokens?.Add(verified.Token, verified, verified.Key, verified.Key, verified.Window);
        return verified;
    }

    /// <summary>The injected clock, in exact seconds.</summary>
    private double Now => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
