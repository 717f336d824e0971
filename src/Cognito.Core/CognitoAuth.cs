using LanguageExt;

namespace Cognito;

/// <summary>
/// Verifies Amplify's Cognito cookies: the facade over the pipeline of SPEC §2. Build it once (it holds
/// the keys) and call it from any thread.
/// <code>
/// var auth = CognitoAuth.FromEnvironment(PemsFile.Load("pems.json"));
/// auth.FromCookieHeader(request.Headers.Cookie).Match(
///     Right: tokens => $"Welcome {tokens.Username}",
///     Left: error => $"Welcome anonymous ({error.Code})");
/// </code>
/// </summary>
public sealed class CognitoAuth
{
    private readonly string[] _clientIds;
    private readonly string[] _cookiePrefixes;
    private readonly int _maxHeaderLength;
    private readonly TokenVerifier _verifier;
    private readonly LiveKeySet? _live;
    private readonly UserPool[] _userPools;
    private readonly SessionCache? _cache;
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
            _cache?.Retain(configured.SelectMany(pool => pool.Keys).Select(key => key.Identity).ToHashSet());
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
        WatchForRotation(
            Progress.Start(this, cookieHeader)
                .Bind(Progress.CookieHeaderSize)
                .Bind(Progress.AmplifySession)
                .Bind(Progress.TokenSizes)
                .Bind(Progress.VerifiedSession));

    /// <summary>
    /// The session in a Cookie header verified in full except for the times (exp, nbf, iat), and never
    /// cached: for the adapter to decide whether an expired session may be refreshed or its refresh
    /// token revoked. Such a session is not signed in.
    /// </summary>
    internal Either<AuthError, AuthTokens> FromCookieHeaderIgnoringTimes(string? cookieHeader) =>
        Progress.Start(this, cookieHeader, checkTimes: false)
            .Bind(Progress.CookieHeaderSize)
            .Bind(Progress.AmplifySession)
            .Bind(Progress.TokenSizes)
            .Bind(Progress.VerifiedSession);

    /// <summary>
    /// The names of the app client's Amplify cookies in a Cookie header (<c>{prefix}.…</c>), in the order
    /// sent, read with the same rules as the session (never decoded; names ASP.NET's cookie collection
    /// drops, such as those with parentheses, included). A name sent twice appears twice.
    /// </summary>
    internal List<string> AmplifyCookieNamesIn(string? cookieHeader)
    {
        var names = new List<string>();
        if (string.IsNullOrEmpty(cookieHeader) || cookieHeader.Length > _maxHeaderLength)
        {
            return names;
        }

        ReadOnlySpan<char> text = cookieHeader;
        foreach (var (name, _) in new CookieHeader.Pairs(text))
        {
            var candidate = text[name];
            foreach (var prefix in _cookiePrefixes)
            {
                if (candidate.Length > prefix.Length + 1 && candidate.StartsWith(prefix, StringComparison.Ordinal) && candidate[prefix.Length] == '.')
                {
                    names.Add(candidate.ToString());
                    break;
                }
            }
        }

        return names;
    }

    /// <summary>
    /// <see cref="FromCookieHeader"/>, and when a token's kid is unknown and <see cref="CognitoOptions.LiveKeys"/>
    /// can fetch the pool's JWKS, waits for that (shared, rate-limited) fetch and tries once more.
    /// Known kids never wait.
    /// </summary>
    public async ValueTask<Either<AuthError, AuthTokens>> FromCookieHeaderAsync(string? cookieHeader)
    {
        var keys = _verifier.Pools;
        var result = FromCookieHeader(cookieHeader);
        return IsUnknownKey(result) && await KeysChangedAsync(keys).ConfigureAwait(false)
            ? FromCookieHeader(cookieHeader)
            : result;
    }

    private static bool IsUnknownKey<T>(Either<AuthError, T> result) =>
        result.Case is AuthError { Failure: AuthFailure.UnknownKey };

    /// <summary>Starts (or joins) a JWKS fetch of every configured pool that has an address; true when keys were added.</summary>
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

    private async Task<bool> RefreshKeysAsync()
    {
        if (_live is null)
        {
            // Stryker disable once Boolean : equivalent, 'true' only verifies the same tokens against the same keys once more
            return false;
        }

        var added = await Task.WhenAll(_userPools.Select(_live.RefreshAsync)).ConfigureAwait(false);
        return added.Contains(true);
    }

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
        string.IsNullOrEmpty(idToken) || string.IsNullOrEmpty(accessToken)
            ? Refusals.NoToken
            : WatchForRotation(Progress.Found(this, new SessionCookies(idToken.AsMemory(), accessToken.AsMemory(), null))
                .Bind(Progress.TokenSizes)
                .Bind(Progress.VerifiedSession));

    /// <summary><see cref="FromTokens"/>, waiting for a key fetch when a kid is unknown (see <see cref="FromCookieHeaderAsync"/>).</summary>
    public async ValueTask<Either<AuthError, AuthTokens>> FromTokensAsync(string? idToken, string? accessToken)
    {
        var keys = _verifier.Pools;
        var result = FromTokens(idToken, accessToken);
        return IsUnknownKey(result) && await KeysChangedAsync(keys).ConfigureAwait(false)
            ? FromTokens(idToken, accessToken)
            : result;
    }

    /// <summary>
    /// The refresh token cookie of the Amplify session in a Cookie header, if any — not verified (only
    /// Cognito can); for refreshing a session whose tokens expired. Never log it.
    /// </summary>
    public string? ReadRefreshToken(string? cookieHeader) =>
        string.IsNullOrEmpty(cookieHeader) || cookieHeader.Length > _maxHeaderLength
            ? null
            : FindSession(cookieHeader)?.Session.RefreshToken?.ToString();

    /// <summary>The Amplify session of the first configured app client, in order, that has one in the header, and that client.</summary>
    private (SessionCookies Session, string ClientId)? FindSession(string header)
    {
        for (var i = 0; i < _cookiePrefixes.Length; i++)
        {
            if (Cognito.AmplifySession.Find(header, _cookiePrefixes[i]) is { } session)
            {
                return (session, _clientIds[i]);
            }
        }

        return null;
    }

    /// <summary>One id token verified on its own (e.g. from a bearer header).</summary>
    public Either<AuthError, IdTokenClaims> VerifyIdToken(string? token) =>
        Verify(TokenSlot.Id, token).Bind(static claims => Either<AuthError, IdTokenClaims>.Right((IdTokenClaims)claims));

    /// <summary><see cref="VerifyAccessToken"/>, waiting for a key fetch when its kid is unknown (see <see cref="FromCookieHeaderAsync"/>): what a bearer API calls.</summary>
    public async ValueTask<Either<AuthError, AccessTokenClaims>> VerifyAccessTokenAsync(string? token)
    {
        var keys = _verifier.Pools;
        var result = VerifyAccessToken(token);
        return IsUnknownKey(result) && await KeysChangedAsync(keys).ConfigureAwait(false)
            ? VerifyAccessToken(token)
            : result;
    }

    /// <summary>One access token verified on its own (e.g. from an <c>Authorization: Bearer</c> header).</summary>
    public Either<AuthError, AccessTokenClaims> VerifyAccessToken(string? token) =>
        Verify(TokenSlot.Access, token).Bind(static claims => Either<AuthError, AccessTokenClaims>.Right((AccessTokenClaims)claims));

    private Either<AuthError, TokenClaims> Verify(TokenSlot slot, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Refusals.NoToken;
        }

        return WatchForRotation(_verifier.Verify(slot, token.AsMemory(), out var claims) is { } error
            ? Either<AuthError, TokenClaims>.Left(error)
            : Either<AuthError, TokenClaims>.Right(claims!));
    }

    /// <summary>
    /// The state carried from stage to stage. The stages are static so the pipeline allocates no
    /// delegates, and a refusal allocates nothing.
    /// </summary>
    private readonly record struct Progress(
        CognitoAuth Auth,
        string? Header,
        SessionCookies Session,
        IdTokenClaims? Id,
        AccessTokenClaims? Access,
        bool CheckTimes = true,
        string? CookieClient = null)
    {
        internal static Either<AuthError, Progress> Start(CognitoAuth auth, string? header, bool checkTimes = true) =>
            new Progress(auth, header, default, null, null, checkTimes);

        internal static Either<AuthError, Progress> Found(CognitoAuth auth, SessionCookies session) =>
            new Progress(auth, null, session, null, null);

        /// <summary>Size, for the header: checked before anything is read.</summary>
        internal static Either<AuthError, Progress> CookieHeaderSize(Progress p) =>
            string.IsNullOrEmpty(p.Header) ? Refusals.NoCookieHeader
            : p.Header.Length > p.Auth._maxHeaderLength ? Refusals.HeaderTooLarge
            : p;

        internal static Either<AuthError, Progress> AmplifySession(Progress p) =>
            p.Auth.FindSession(p.Header!) is { } found
                ? p with { Session = found.Session, CookieClient = found.ClientId }
                : p.Auth.NoSession;

        /// <summary>Size, for both tokens: checked before either is decoded.</summary>
        internal static Either<AuthError, Progress> TokenSizes(Progress p) =>
            (p.Auth._verifier.Size(TokenSlot.Id, p.Session.IdToken.Span)
             ?? p.Auth._verifier.Size(TokenSlot.Access, p.Session.AccessToken.Span)) is { } tooLarge
                ? tooLarge
                : p;

        /// <summary>A session verified before (same token text, times still good), or the stages that verify it.</summary>
        internal static Either<AuthError, AuthTokens> VerifiedSession(Progress p) =>
            (p.CheckTimes ? p.Auth._cache : null)?.Find(p.Session, p.Auth._clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, p.Auth._skew) is { } verified
                ? OfCookieClient(p, verified.Id, verified.Access) ?? (Either<AuthError, AuthTokens>)verified
                : IdToken(p)
                    .Bind(AccessToken)
                    .Bind(Pair)
                    .Bind(ToAuthTokens);

        internal static Either<AuthError, Progress> IdToken(Progress p) =>
            p.Auth._verifier.Verify(TokenSlot.Id, p.Session.IdToken, out var claims, p.CheckTimes) is { } error
                ? error
                : p with { Id = (IdTokenClaims)claims! };

        internal static Either<AuthError, Progress> AccessToken(Progress p) =>
            p.Auth._verifier.Verify(TokenSlot.Access, p.Session.AccessToken, out var claims, p.CheckTimes) is { } error
                ? error
                : p with { Access = (AccessTokenClaims)claims! };

        internal static Either<AuthError, Progress> Pair(Progress p) =>
            TokenPair.Check(p.Id!, p.Access!) is { } mismatch ? mismatch : p;

        /// <summary>
        /// With several app clients, both tokens of a session must be of the client whose cookies carried
        /// them (the id token's <c>aud</c>, the access token's <c>client_id</c>): another client's tokens
        /// under these cookie names are <c>wrong-client</c>. Always true with one client.
        /// </summary>
        private static AuthError? OfCookieClient(Progress p, IdTokenClaims id, AccessTokenClaims access) =>
            p.CookieClient is not { } client ? null
            : !string.Equals(id.Audience, client, StringComparison.Ordinal)
                ? new AuthError(AuthFailure.WrongClient, TokenSlot.Id, $"id token aud is '{id.Audience}', but it came in the cookies of app client '{client}'")
            : !string.Equals(access.ClientId, client, StringComparison.Ordinal)
                ? new AuthError(AuthFailure.WrongClient, TokenSlot.Access, $"access token client_id is '{access.ClientId}', but it came in the cookies of app client '{client}'")
            : null;

        // Bind, not Map: LanguageExt 4's Map allocates on every call, Bind with a static method does not.
        internal static Either<AuthError, AuthTokens> ToAuthTokens(Progress p)
        {
            if (OfCookieClient(p, p.Id!, p.Access!) is { } otherClient)
            {
                return otherClient;
            }

            var tokens = new AuthTokens(p.Id!, p.Access!, p.Session.RefreshToken?.ToString());
            (p.CheckTimes ? p.Auth._cache : null)?.Add(tokens);
            return tokens;
        }
    }

    // Stryker disable once Assignment : equivalent, without the cache each refusal is a new error with the same content
    private AuthError NoSession => field ??= new AuthError(
        AuthFailure.NoSession,
        TokenSlot.None,
        _clientIds.Length == 1
            ? $"no Amplify session for app client {_clientIds[0]}: the {_cookiePrefixes[0]}.LastAuthUser cookie, or its user's idToken/accessToken cookie, is missing"
            : $"no Amplify session for any of the app clients {string.Join(", ", _clientIds)}: no {{client}}.LastAuthUser cookie with its user's idToken/accessToken cookies");
}
