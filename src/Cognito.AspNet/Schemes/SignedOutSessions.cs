using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// The sessions that were signed out, so that a sign-out holds on every instance: cookies copied
/// before the sign-out (or replayed by another device) are refused with <c>signed-out</c> until the
/// session's tokens expire, instead of being accepted for up to an hour. A session is named by
/// Cognito's <c>origin_jti</c> (the same in every token minted from one sign-in's refresh token), else
/// by the id token's <c>jti</c>. The record lives in the app's <see cref="IDistributedCache"/> (in
/// memory unless the app registers a shared one, such as Redis); each instance reads it at most once
/// per session per <see cref="CognitoCookiesOptions.SignOutCheckInterval"/> and keeps the answer, so a
/// request on a cached session costs a dictionary lookup, not a round trip.
/// </summary>
internal sealed class SignedOutSessions(IDistributedCache store, TimeProvider clock, ILogger<SignedOutSessions> logger)
{
    /// <summary>Where the records live in the shared store.</summary>
    internal const string KeyPrefix = "cognito:signed-out:";

    /// <summary>Sessions whose last answer is kept here; past it, the answers older than the interval are dropped.</summary>
    internal const int MaxRemembered = 100_000;

    /// <summary>How long "the store could not be read" is kept before the store is asked again.</summary>
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<AccessTokenClaims, string> Ids = new();
    private static readonly byte[] Ended = [1];
    private readonly ConcurrentDictionary<string, Check> _checks = new(StringComparer.Ordinal);
    private readonly WarningThrottle _warnings = new(clock);

    /// <summary>What the store said of a session.</summary>
    internal enum State
    {
        /// <summary>Not signed out.</summary>
        Active,

        /// <summary>Signed out on some instance.</summary>
        SignedOut,

        /// <summary>The store could not be read: refused (fail closed), asked again after a second.</summary>
        Unknown,
    }

    /// <summary>The refusal of a signed-out session.</summary>
    internal static readonly AuthError SignedOutRefusal = new(AuthFailure.SignedOut, TokenSlot.None, "session was signed out (its tokens stay refused until they expire)");

    /// <summary>The refusal of a session the sign-out store could not be asked about (fail closed).</summary>
    internal static readonly AuthError UnknownRefusal = new(AuthFailure.SignedOut, TokenSlot.None, "session could not be checked: the sign-out store did not answer (refused until it does)");

    /// <summary>The refusal a state stands for; null for an active session.</summary>
    internal static AuthError? RefusalOf(State state) => state switch
    {
        State.Active => null,
        State.SignedOut => SignedOutRefusal,
        _ => UnknownRefusal,
    };

    /// <summary>Store reads made (for the tests and the benchmark: at most one per session per interval).</summary>
    internal long StoreReads => Interlocked.Read(ref _storeReads);

    private long _storeReads;

    /// <summary>
    /// The session id of a verified session or access token: <c>origin_jti</c>, else (a session) the id
    /// token's <c>jti</c>; null when it has neither (a machine-to-machine token), which no sign-out names.
    /// Worked out once per verified token and kept beside it.
    /// </summary>
    internal static string? SessionId(AccessTokenClaims access, IdTokenClaims? id = null)
    {
        if (!Ids.TryGetValue(access, out var known))
        {
            known = Remember(access, id);
        }

        return known.Length == 0 ? null : known;
    }

    /// <summary>The slow path of <see cref="SessionId(AccessTokenClaims, IdTokenClaims?)"/>, apart so the cached path allocates nothing.</summary>
    private static string Remember(AccessTokenClaims access, IdTokenClaims? id)
    {
        var known = access.GetString("origin_jti") ?? id?.GetString("jti") ?? "";
        Ids.AddOrUpdate(access, known);
        return known;
    }

    /// <summary>The session id of a verified session.</summary>
    internal static string? SessionId(AuthTokens tokens) => SessionId(tokens.Access, tokens.Id);

    /// <summary>Whether the session <paramref name="id"/> was signed out, from memory when asked less than <paramref name="interval"/> ago.</summary>
    internal ValueTask<State> StateAsync(string? id, TimeSpan interval)
    {
        if (id is null)
        {
            return new(State.Active);
        }

        var now = clock.GetUtcNow();
        if (_checks.TryGetValue(id, out var check) && check.Holds(now, interval))
        {
            var answer = check.Answer.Value;
            return answer.IsCompletedSuccessfully ? new(answer.Result) : new(answer);
        }

        var candidate = new Check(now, this, id);
        var chosen = check is null
            ? _checks.GetOrAdd(id, candidate)
            : _checks.TryUpdate(id, candidate, check) ? candidate : _checks.GetValueOrDefault(id) ?? candidate;
        if (_checks.Count > MaxRemembered)
        {
            Forget(now, interval);
        }

        return new(chosen.Answer.Value);
    }

    /// <summary>
    /// Records <paramref name="id"/> as signed out until <paramref name="until"/>, here at once and in the
    /// store for the other instances. A store that cannot be written is logged; this instance still holds.
    /// </summary>
    internal async Task RecordAsync(string? id, DateTimeOffset until)
    {
        if (id is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var lifetime = until - now;
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        _checks[id] = Check.SignedOutHere(now, until);

        try
        {
            await store.SetAsync(KeyPrefix + id, Ended, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.Throttled(_warnings, "SignOutStoreFailed", log => log.SignOutStoreFailed("written", e.GetType().Name));
        }
    }

    private async Task<State> ReadAsync(string id)
    {
        Interlocked.Increment(ref _storeReads);
        try
        {
            return await store.GetAsync(KeyPrefix + id).ConfigureAwait(false) is { Length: > 0 } ? State.SignedOut : State.Active;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.Throttled(_warnings, "SignOutStoreFailed", log => log.SignOutStoreFailed("read", e.GetType().Name));
            return State.Unknown;
        }
    }

    /// <summary>Drops the answers that no longer hold (they would be asked again anyway); if that is not enough, all.</summary>
    private void Forget(DateTimeOffset now, TimeSpan interval)
    {
        foreach (var (id, check) in _checks)
        {
            if (!check.Holds(now, interval))
            {
                _checks.TryRemove(new KeyValuePair<string, Check>(id, check));
            }
        }

        if (_checks.Count > MaxRemembered)
        {
            _checks.Clear();
        }
    }

    /// <summary>One read of the store, shared by the requests that need it at once, and when it was asked.</summary>
    private sealed class Check
    {
        private readonly DateTimeOffset _at;
        private readonly DateTimeOffset? _until;

        internal Check(DateTimeOffset at, SignedOutSessions owner, string id)
        {
            _at = at;
            Answer = new Lazy<Task<State>>(() => owner.ReadAsync(id));
        }

        private Check(DateTimeOffset at, DateTimeOffset until)
        {
            (_at, _until) = (at, until);
            Answer = new Lazy<Task<State>>(Task.FromResult(State.SignedOut));
        }

        internal Lazy<Task<State>> Answer { get; }

        /// <summary>A sign-out made here: known without asking the store until <paramref name="until"/>.</summary>
        internal static Check SignedOutHere(DateTimeOffset at, DateTimeOffset until) => new(at, until);

        /// <summary>
        /// Whether the answer still holds: a read in flight, or an answer read from the store, for the
        /// interval; a sign-out made here until its record expires; "unknown" for a second.
        /// </summary>
        internal bool Holds(DateTimeOffset now, TimeSpan interval)
        {
            var answer = Answer.Value;
            if (_until is { } until)
            {
                return now < until;
            }

            return now - _at < (answer is { IsCompletedSuccessfully: true, Result: State.Unknown } ? UnknownFor : interval);
        }
    }
}
