using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cognito.AspNet;

/// <summary>
/// One call to Cognito per refresh token, however many requests carry it at once: the first request
/// starts the refresh, the others await the same task, and the outcome is kept for a while so that
/// requests still carrying the old cookies reuse it — a success for a minute (a rotated refresh token
/// only within the app client's grace period, so a presenter of the old token never gets the new one
/// later than Cognito itself would give it), a failure for <see cref="FailureRetention"/>
/// (<c>invalid_grant</c>, which will not change, for a minute), so a refresh token that fails costs
/// Cognito one call, not one per request. Keyed by the SHA-256 of the refresh token, so the token
/// itself is not kept as a key. A refresh that throws is a failed outcome, never an exception for its
/// callers or for anyone else's refresh.
/// </summary>
internal sealed class RefreshCoordinator(TimeProvider clock)
{
    /// <summary>How long a transient failure (unreachable, timeout, 5xx) is answered from memory.</summary>
    internal static readonly TimeSpan FailureRetention = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal Task<TokenResponse> RefreshAsync(string refreshToken, Func<Task<TokenResponse>> refresh, TimeSpan rotationGracePeriod = default)
    {
        var now = clock.GetUtcNow();
        Sweep(now, rotationGracePeriod);
        var entry = _entries.GetOrAdd(Key(refreshToken), static (_, state) => new Entry(state.refresh, state.clock), (refresh, clock));
        return entry.Outcome.Value;
    }

    /// <summary>
    /// Drops what is kept of <paramref name="refreshToken"/>'s refresh (sign-out, or the session ended):
    /// a success kept for the requests that still carry the old cookies must not hand fresh tokens to a
    /// session that is over.
    /// </summary>
    internal void Forget(string refreshToken) => _entries.TryRemove(Key(refreshToken), out _);

    /// <summary>
    /// Drops the kept outcome of <paramref name="refreshToken"/> if it is still <paramref name="outcome"/>: a
    /// success kept for the requests that still carry the old cookies whose tokens have expired meanwhile
    /// (tokens that live shorter than the retention) must not be handed out again. A newer outcome — one
    /// another request started after discarding the same one — is left alone, so concurrent requests share
    /// one new call.
    /// </summary>
    internal bool Discard(string refreshToken, TokenResponse outcome)
    {
        var key = Key(refreshToken);
        return _entries.TryGetValue(key, out var entry)
            && ReferenceEquals(entry.Finished?.Result, outcome)
            && _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
    }

    private static string Key(string refreshToken) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    private void Sweep(DateTimeOffset now, TimeSpan rotationGracePeriod)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Finished is { } finished && now - finished.At >= KeptFor(finished.Result, rotationGracePeriod))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private static TimeSpan KeptFor(TokenResponse result, TimeSpan rotationGracePeriod) => result switch
    {
        { Succeeded: true, RefreshToken: not null } => rotationGracePeriod,
        { Succeeded: true } => Retention,
        { Error: "invalid_grant" } => Retention,
        _ => FailureRetention,
    };

    private sealed record Done(TokenResponse Result, DateTimeOffset At);

    private sealed class Entry
    {
        private Done? _finished;

        internal Entry(Func<Task<TokenResponse>> refresh, TimeProvider clock) =>
            Outcome = new Lazy<Task<TokenResponse>>(() => Guarded(refresh, clock));

        internal Lazy<Task<TokenResponse>> Outcome { get; }

        /// <summary>The outcome and when it was known; null while the call is in flight.</summary>
        internal Done? Finished => Volatile.Read(ref _finished);

        /// <summary>The refresh as a task that always completes with a response: an exception becomes the failure <c>refresh_error</c>.</summary>
        private async Task<TokenResponse> Guarded(Func<Task<TokenResponse>> refresh, TimeProvider clock)
        {
            TokenResponse result;
            try
            {
                result = await refresh().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result = TokenResponse.Failed("refresh_error");
            }

            Volatile.Write(ref _finished, new Done(result, clock.GetUtcNow()));
            return result;
        }
    }
}
