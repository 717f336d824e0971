using System.Text;

namespace Cognito;

/// <summary>A configured pool with its two issuer forms as UTF-8 and its keys, ready for the hot path.</summary>
internal sealed record ConfiguredPool(UserPool Pool, byte[] IssuerUtf8, byte[] UpdatedIssuerUtf8, PoolKey[] Keys)
{
    internal ConfiguredPool(UserPool pool, PoolKey[] keys)
        : this(pool, Encoding.UTF8.GetBytes(pool.Issuer), Encoding.UTF8.GetBytes(pool.UpdatedIssuer), keys)
    {
    }

    /// <summary>
    /// The Issuer stage: the pool whose issuer <c>iss</c> is, exactly, byte for byte, in either form
    /// (original <c>cognito-idp</c> or updated <c>issuer-cognito-idp</c>); null for any other issuer.
    /// </summary>
    internal static ConfiguredPool? Issuing(ConfiguredPool[] pools, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload)
    {
        foreach (var pool in pools)
        {
            if (claims.Iss.TextEquals(payload, pool.IssuerUtf8) || claims.Iss.TextEquals(payload, pool.UpdatedIssuerUtf8))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>The Key stage: the key with this kid in this pool — chosen by (issuer, kid); a token's own jku/x5u/jwk/x5c are never used.</summary>
    internal PoolKey? Key(ReadOnlySpan<byte> kid)
    {
        foreach (var key in Keys)
        {
            if (kid.SequenceEqual(key.KidUtf8))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The issuer form the token carries, as the pool's own string (no allocation).</summary>
    internal string IssuerForm(scoped ref TokenPayload claims, ReadOnlySpan<byte> payload) =>
        claims.Iss.TextEquals(payload, UpdatedIssuerUtf8) ? Pool.UpdatedIssuer : Pool.Issuer;
}
