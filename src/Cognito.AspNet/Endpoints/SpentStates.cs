namespace Cognito.AspNet;

/// <summary>
/// The sign-in states already used: a flow cookie is good for one callback, so a replayed cookie
/// costs no call to Cognito. Kept in memory until the flow would have expired anyway, and bounded in
/// all and per client: a callback is spent only after the client's budget of calls to Cognito allowed
/// it (so one client spends no more states than calls), and no client holds more than
/// <see cref="DefaultPerClient"/> live states, so one client can never fill the store for everyone.
/// When full of live states, a new callback is refused (fail closed) rather than the bound grown.
/// Behind several instances, a replay that reaches another instance is not seen here (the rate limit
/// still bounds it).
/// </summary>
internal sealed class SpentStates(int capacity = SpentStates.DefaultCapacity, int perClient = SpentStates.DefaultPerClient)
{
    internal const int DefaultCapacity = 100_000;
    internal const int DefaultPerClient = 1_000;
    private readonly Dictionary<string, (DateTimeOffset Until, string Client)> _spent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);

    internal enum Outcome
    {
        /// <summary>First use: go on.</summary>
        Fresh,

        /// <summary>Used before: a replay.</summary>
        Replayed,

        /// <summary>Too many live states to remember one more.</summary>
        Full,

        /// <summary>This client holds too many live states.</summary>
        ClientFull,
    }

    /// <summary>The states remembered now (live or not yet swept).</summary>
    internal int Count
    {
        get
        {
            lock (_spent)
            {
                return _spent.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="state"/> was used (asked before any budget is spent: a replay is refused for free).</summary>
    internal bool WasSpent(string state)
    {
        lock (_spent)
        {
            return _spent.ContainsKey(state);
        }
    }

    /// <summary>Marks <paramref name="state"/> used by <paramref name="client"/> until <paramref name="expiresAt"/>.</summary>
    internal Outcome TrySpend(string state, DateTimeOffset expiresAt, DateTimeOffset now, string client)
    {
        lock (_spent)
        {
            if (_spent.ContainsKey(state))
            {
                return Outcome.Replayed;
            }

            if (_spent.Count >= capacity || _perClient.GetValueOrDefault(client) >= perClient)
            {
                Sweep(now);
            }

            if (_spent.Count >= capacity)
            {
                return Outcome.Full;
            }

            var held = _perClient.GetValueOrDefault(client);
            if (held >= perClient)
            {
                return Outcome.ClientFull;
            }

            _spent.Add(state, (expiresAt, client));
            _perClient[client] = held + 1;
            return Outcome.Fresh;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (state, (until, client)) in _spent)
        {
            if (until <= now)
            {
                _spent.Remove(state);
                if (--_perClient[client] == 0)
                {
                    _perClient.Remove(client);
                }
            }
        }
    }
}
