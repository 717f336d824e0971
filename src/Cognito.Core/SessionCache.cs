using System.Collections.Concurrent;

namespace Cognito;

/// <summary>
/// Verified sessions, so that the same cookies on the next request cost a lookup instead of two RSA
/// verifications. Keyed by the exact id token text (never a hash alone); a hit also needs the exact
/// access and refresh token text of the entry. Every hit re-checks exp, nbf and iat against the
/// injected clock; failures are never cached; entries whose key left the key set are dropped; the
/// number of entries is bounded. Lookups are by span, so a hit allocates nothing.
/// </summary>
internal sealed class SessionCache
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(TokenTextComparer.Instance);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal SessionCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    internal int Count => _entries.Count;

    internal AuthTokens? Find(in SessionCookies session, double now, double skew)
    {
        if (!_lookup.TryGetValue(session.IdToken.Span, out var entry)
            || !session.AccessToken.Span.SequenceEqual(entry.Tokens.AccessToken)
            || !SameRefreshToken(session, entry.Tokens.RefreshToken))
        {
            return null;
        }

        // The same rules as the claims stage, for the earlier exp and the later nbf/iat of the pair.
        if (now >= entry.Exp + skew || now < entry.Nbf - skew || entry.Iat > now + skew)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(entry.Tokens.IdToken, entry));
            return null;
        }

        return entry.Tokens;
    }

    internal void Add(AuthTokens tokens)
    {
        if (_entries.Count >= _capacity)
        {
            Evict();
        }

        var (id, access) = (tokens.Id, tokens.Access);
        _entries[tokens.IdToken] = new Entry(
            tokens,
            id.Key,
            access.Key,
            Math.Min(id.ExpSeconds, access.ExpSeconds),
            Math.Max(id.NbfSeconds, access.NbfSeconds),
            Math.Max(id.IatSeconds, access.IatSeconds));
    }

    /// <summary>Drops the entries verified with a key that is no longer in the key set.</summary>
    internal void Retain(IReadOnlySet<KeyIdentity> keys)
    {
        foreach (var (id, entry) in _entries)
        {
            if (!keys.Contains(entry.IdKey.Identity) || !keys.Contains(entry.AccessKey.Identity))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            }
        }
    }

    private static bool SameRefreshToken(in SessionCookies session, string? cached) =>
        session.RefreshToken is { } refresh ? cached is not null && refresh.Span.SequenceEqual(cached) : cached is null;

    /// <summary>Full: drop a quarter of the entries (the earliest to expire first would need ordering; any quarter keeps the bound).</summary>
    private void Evict()
    {
        var toRemove = Math.Max(1, _capacity / 4);
        foreach (var (id, entry) in _entries)
        {
            if (toRemove-- <= 0)
            {
                break;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
        }
    }

    private sealed record Entry(AuthTokens Tokens, PoolKey IdKey, PoolKey AccessKey, double Exp, double Nbf, double Iat);
}

/// <summary>
/// Compares token texts exactly, but hashes only their last 64 characters (the signature): hashing a
/// whole 1–2 KB token on every lookup would cost more than the rest of a hit. Equality is still the
/// full text, and only verified tokens are ever stored, so an attacker cannot fill a bucket.
/// </summary>
internal sealed class TokenTextComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    internal static readonly TokenTextComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    private static int Hash(ReadOnlySpan<char> text) => string.GetHashCode(text.Length > 64 ? text[^64..] : text, StringComparison.Ordinal);
}
