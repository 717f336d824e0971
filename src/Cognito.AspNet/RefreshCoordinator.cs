using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cognito.AspNet;

/// <summary>
/// One call to Cognito per refresh token, however many requests carry it at once: the first request
/// starts the refresh, the others await the same task, and the outcome is kept for a short while so
/// that requests still carrying the old cookies reuse it. Keyed by the SHA-256 of the refresh token,
/// so the token itself is not kept as a key. A refresh that throws is a failed outcome, never an
/// exception for its callers or for anyone else's refresh.
/// </summary>
internal sealed class RefreshCoordinator(TimeProvider clock)
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal Task<TokenResponse> RefreshAsync(string refreshToken, Func<Task<TokenResponse>> refresh)
    {
        var now = clock.GetUtcNow();
        Sweep(now);
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        var entry = _entries.GetOrAdd(key, static (_, state) => new Entry(new Lazy<Task<TokenResponse>>(() => Guarded(state.refresh)), state.now), (refresh, now));
        return entry.Outcome.Value;
    }

    /// <summary>The refresh as a task that always completes with a response: an exception becomes the failure <c>refresh_error</c>.</summary>
    private static async Task<TokenResponse> Guarded(Func<Task<TokenResponse>> refresh)
    {
        try
        {
            return await refresh().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return TokenResponse.Failed("refresh_error");
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            // Failures are dropped as soon as they are known, so a transient fault is retried on the next request.
            var outcome = entry.Outcome.IsValueCreated ? entry.Outcome.Value : null;
            if (outcome is { IsCompleted: true } && (now - entry.Started > Retention || !outcome.IsCompletedSuccessfully || !outcome.Result.Succeeded))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(Lazy<Task<TokenResponse>> Outcome, DateTimeOffset Started);
}
