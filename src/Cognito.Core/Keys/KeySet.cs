using System.Security.Cryptography;
using System.Text;

namespace Cognito;

/// <summary>
/// The public keys of one or more user pools, keyed by (pool, kid): the same kid in two pools is two
/// different keys, and a token of one pool never verifies with another pool's key. Immutable.
/// Build it with <see cref="PemsFile"/> (the seed's pems.json) or <see cref="Jwks"/>.
/// </summary>
public sealed class KeySet
{
    /// <summary>Smallest RSA modulus accepted (docs/spec.md, "Key sets"; Cognito's keys are 2048-bit).</summary>
    public const int MinimumKeySizeInBits = 2048;

    private readonly Dictionary<string, PoolKey[]> _byIssuer;

    internal KeySet(IEnumerable<PoolKey> keys)
    {
        _byIssuer = keys.GroupBy(k => k.Pool.Issuer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(k => k.Kid, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>An empty key set.</summary>
    public static KeySet Empty { get; } = new([]);

    /// <summary>The pools that have keys here.</summary>
    internal IEnumerable<UserPool> Pools => _byIssuer.Values.Select(keys => keys[0].Pool);

    /// <summary>All keys, by pool then kid.</summary>
    public IEnumerable<PoolKey> Keys => _byIssuer.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value);

    /// <summary>The keys of one pool (empty when the set has none for it).</summary>
    public IReadOnlyList<PoolKey> KeysOf(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return _byIssuer.TryGetValue(pool.Issuer, out var keys) ? keys : [];
    }

    /// <summary>This set with the keys of <paramref name="other"/> added; a (pool, kid) in both takes the other's key.</summary>
    public KeySet Merge(KeySet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = new Dictionary<(string, string), PoolKey>();
        foreach (var key in Keys.Concat(other.Keys))
        {
            merged[(key.Pool.Issuer, key.Kid)] = key;
        }

        return new KeySet(merged.Values);
    }

    /// <summary>Validates one RSA key: public RSA, modulus ≥ 2048 bits. Returns an error message or null.</summary>
    internal static string? Check(UserPool pool, string kid, RSA rsa) =>
        rsa.KeySize < MinimumKeySizeInBits
            ? $"key '{kid}' of user pool {pool.UserPoolId} (region {pool.Region}) is {rsa.KeySize}-bit RSA; at least {MinimumKeySizeInBits} bits are required"
            : null;
}
