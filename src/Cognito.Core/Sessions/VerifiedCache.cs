using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Cognito;

/// <summary>
/// Values verified before, keyed by the exact token text (never a hash alone), so that the same token
/// on the next request costs a lookup instead of an RSA verification. Every hit re-checks the times
/// against the clock (<see cref="ValidityWindow"/>); failures are never stored; entries whose key left
/// the key set are dropped; the number of entries is bounded. Lookups are by span: a hit allocates nothing.
/// </summary>
internal class VerifiedCache<T>
    where T : class
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(TokenTextComparer.Instance);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    internal VerifiedCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of entries (counted as they come and go: reading the dictionary's own count takes all its locks).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>The value stored under this exact text, if its times still hold; an entry whose times ran out leaves.</summary>
    internal bool TryFind(ReadOnlySpan<char> text, double now, double skew, [NotNullWhen(true)] out T? value)
    {
        if (!_lookup.TryGetValue(text, out var entry))
        {
            value = null;
            return false;
        }

        if (entry.Window.Failure(now, skew) is not null)
        {
            Remove(entry);
            value = null;
            return false;
        }

        value = entry.Value;
        return true;
    }

    /// <summary>Stores a verified value under its token text; the keys are those its signatures verified with.</summary>
    internal void Add(string text, T value, PoolKey firstKey, PoolKey secondKey, ValidityWindow window)
    {
        if (Count >= _capacity)
        {
            Evict();
        }

        var entry = new Entry(text, value, firstKey, secondKey, window);
        while (true)
        {
            if (_entries.TryAdd(text, entry))
            {
                Interlocked.Increment(ref _count);
                return;
            }

            // The same text stored before (a session's id token with other companions): replace it,
            // unless it left in between, then add again. Entries compare by reference.
            if (_entries.TryGetValue(text, out var stored) && _entries.TryUpdate(text, entry, stored))
            {
                return;
            }
        }
    }

    /// <summary>Drops the entries verified with a key that is no longer in the key set.</summary>
    internal void Retain(IReadOnlySet<KeyIdentity> keys)
    {
        foreach (var (_, entry) in _entries)
        {
            if (!keys.Contains(entry.FirstKey.Identity) || !keys.Contains(entry.SecondKey.Identity))
            {
                Remove(entry);
            }
        }
    }

    private void Remove(Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, Entry>(entry.Text, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Full: drop a quarter of the entries (the earliest to expire first would need ordering; any quarter keeps the bound).</summary>
    private void Evict()
    {
        var toRemove = Math.Max(1, _capacity / 4);
        foreach (var (_, entry) in _entries)
        {
            if (toRemove-- <= 0)
            {
                break;
            }

            Remove(entry);
        }
    }

    /// <summary>A class, not a record: entries compare by reference, so replacing and removing one is exact and cheap.</summary>
    private sealed class Entry(string text, T value, PoolKey firstKey, PoolKey secondKey, ValidityWindow window)
    {
        internal string Text { get; } = text;

        internal T Value { get; } = value;

        internal PoolKey FirstKey { get; } = firstKey;

        internal PoolKey SecondKey { get; } = secondKey;

        internal ValidityWindow Window { get; } = window;
    }
}
