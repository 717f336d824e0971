using System.Collections.Concurrent;

namespace Cognito.AspNet;

/// <summary>
/// The sign-in states already used: a flow cookie is good for one callback, so a replayed cookie
/// costs no call to Cognito. Kept in memory until the flow would have expired anyway, and bounded:
/// when full of live states, a new callback is refused (fail closed) rather than the bound grown.
/// Behind several instances, a replay that reaches another instance is not seen here (the rate limit
/// still bounds it).
/// </summary>
internal sealed class SpentStates(int capacity = SpentStates.DefaultCapacity)
{
    internal const int DefaultCapacity = 100_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _spent = new(StringComparer.Ordinal);

    internal enum Outcome
    {
        /// <summary>First use: go on.</summary>
        Fresh,

        /// <summary>Used before: a replay.</summary>
        Replayed,

        /// <summary>Too many live states to remember one more.</summary>
        Full,
    }

    /// <summary>Marks <paramref name="state"/> used until <paramref name="expiresAt"/>.</summary>
    internal Outcome TrySpend(string state, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (_spent.Count >= capacity)
        {
            foreach (var (key, until) in _spent)
            {
                if (until <= now)
                {
                    _spent.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
                }
            }

            if (_spent.Count >= capacity)
            {
                return Outcome.Full;
            }
        }

        return _spent.TryAdd(state, expiresAt) ? Outcome.Fresh : Outcome.Replayed;
    }
}
