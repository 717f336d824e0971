using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>A configured pool with its two issuer forms as UTF-8 and its keys, ready for the hot path.</summary>
internal sealed record ConfiguredPool(UserPool Pool, byte[] IssuerUtf8, byte[] UpdatedIssuerUtf8, PoolKey[] Keys)
{
    internal ConfiguredPool(UserPool pool, PoolKey[] keys)
        : this(pool, Encoding.UTF8.GetBytes(pool.Issuer), Encoding.UTF8.GetBytes(pool.UpdatedIssuer), keys)
    {
    }
}

/// <summary>
/// One token through the stages of SPEC §2, in their fixed order: size → structure → alg → issuer →
/// key → signature → claims. Works on spans over pooled buffers; the reject paths before the
/// signature allocate nothing and nothing on any path throws for any input.
/// </summary>
internal sealed class TokenVerifier(ConfiguredPool[] pools, Audience audience, TimeProvider clock, double skewSeconds, int maxTokenLength)
{
    private ConfiguredPool[] _pools = pools;

    /// <summary>The pools and their keys; swapped whole when a live key set changes.</summary>
    internal ConfiguredPool[] Pools
    {
        get => Volatile.Read(ref _pools);
        set => Volatile.Write(ref _pools, value);
    }

    /// <summary>Stage 1 for a token: checked before any decoding.</summary>
    internal AuthError? Size(TokenSlot slot, ReadOnlySpan<char> token) =>
        token.Length > maxTokenLength ? Refusals.TokenTooLarge(slot) : null;

    /// <summary>
    /// The stages for one token. With <paramref name="checkTimes"/> off, exp, nbf and iat are not
    /// checked (everything else is): only for deciding whether an expired session may be refreshed.
    /// </summary>
    internal AuthError? Verify(TokenSlot slot, ReadOnlyMemory<char> token, out TokenClaims? verified, bool checkTimes = true)
    {
        verified = null;
        var text = token.Span;
        if (Size(slot, text) is { } tooLarge)
        {
            return tooLarge;
        }

        if (TokenText.Split(text) is not { } segments)
        {
            return Refusals.Malformed(slot, Refusals.Shape.Segments);
        }

        // One rented buffer: decoded header, payload, signature, then the signing input as ASCII.
        var buffer = ArrayPool<byte>.Shared.Rent(text.Length * 3);
        try
        {
            var memory = buffer.AsSpan();
            if (!Decode(text[segments.Header], ref memory, out var header)
                || !Decode(text[segments.Payload], ref memory, out var payload)
                || !Decode(text[segments.Signature], ref memory, out var signature))
            {
                return Refusals.Malformed(slot, Refusals.Shape.Base64Url);
            }

            var claims = default(TokenPayload);
            if (Structure(slot, header, payload, ref claims) is { } malformed)
            {
                return malformed;
            }

            var jose = JoseHeader.Read(header, memory);
            if (!jose.HasKid)
            {
                return Refusals.Malformed(slot, Refusals.Shape.Kid);
            }

            if (jose.HasCrit)
            {
                return Refusals.Malformed(slot, Refusals.Shape.Crit);
            }

            if (!jose.IsRs256)
            {
                return Refusals.UnsupportedAlg(slot);
            }

            if (!claims.Iss.IsString)
            {
                return Refusals.Malformed(slot, Refusals.Shape.IssuerType);
            }

            if (SelectPool(ref claims, payload) is not { } pool)
            {
                return Refusals.UnknownIssuer(slot);
            }

            if (SelectKey(pool, jose.Kid) is not { } key)
            {
                return Refusals.UnknownKey(slot);
            }

            var signingInput = memory[jose.Kid.Length..];
            var inputLength = Encoding.ASCII.GetBytes(text[segments.SigningInput], signingInput);
            if (!SignatureVerifies(key, signingInput[..inputLength], signature))
            {
                return Refusals.BadSignature(slot);
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            if (ClaimRules.Check(slot, ref claims, payload, audience, now, skewSeconds, checkTimes) is { } refused)
            {
                return refused;
            }

            verified = Materialize(slot, token, pool, key, ref claims, payload);
            return null;
        }
        finally
        {
            // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool Decode(ReadOnlySpan<char> segment, ref Span<byte> memory, out Span<byte> decoded)
    {
        if (!TokenText.TryDecode(segment, memory, out var written))
        {
            decoded = default;
            return false;
        }

        decoded = memory[..written];
        memory = memory[written..];
        return true;
    }

    private static AuthError? Structure(TokenSlot slot, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, ref TokenPayload claims) =>
        JsonShape.Check(header) switch
        {
            JsonShapeFault.NotObject => Refusals.Malformed(slot, Refusals.Shape.HeaderNotObject),
            JsonShapeFault.TooDeep => Refusals.Malformed(slot, Refusals.Shape.HeaderTooDeep),
            JsonShapeFault.DuplicateName => Refusals.Malformed(slot, Refusals.Shape.HeaderDuplicate),
            _ => JsonShape.Check(payload, ref claims) switch
            {
                JsonShapeFault.NotObject => Refusals.Malformed(slot, Refusals.Shape.PayloadNotObject),
                JsonShapeFault.TooDeep => Refusals.Malformed(slot, Refusals.Shape.PayloadTooDeep),
                JsonShapeFault.DuplicateName => Refusals.Malformed(slot, Refusals.Shape.PayloadDuplicate),
                _ => null,
            },
        };

    /// <summary>
    /// Stage: issuer. <c>iss</c> must equal one of a configured pool's two issuer forms exactly, byte
    /// for byte (original <c>cognito-idp</c> or updated <c>issuer-cognito-idp</c>).
    /// </summary>
    private ConfiguredPool? SelectPool(scoped ref TokenPayload claims, ReadOnlySpan<byte> payload)
    {
        foreach (var pool in Pools)
        {
            if (claims.Iss.TextEquals(payload, pool.IssuerUtf8) || claims.Iss.TextEquals(payload, pool.UpdatedIssuerUtf8))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>Stage: key, chosen by (issuer, kid); the token's own jku/x5u/jwk/x5c are never used.</summary>
    private static PoolKey? SelectKey(ConfiguredPool pool, ReadOnlySpan<byte> kid)
    {
        foreach (var key in pool.Keys)
        {
            if (kid.SequenceEqual(key.KidUtf8))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Stage: signature, RS256 = RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).</summary>
    private static bool SignatureVerifies(PoolKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != key.ModulusBytes)
        {
            return false;
        }

        try
        {
            return key.Rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A signature the provider cannot even process is a bad signature, not a crash.
            return false;
        }
    }

    /// <summary>The issuer form the token carries, as the pool's own string (no allocation).</summary>
    private static string IssuerForm(ConfiguredPool pool, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload) =>
        claims.Iss.TextEquals(payload, pool.UpdatedIssuerUtf8) ? pool.Pool.UpdatedIssuer : pool.Pool.Issuer;

    private TokenClaims Materialize(TokenSlot slot, ReadOnlyMemory<char> token, ConfiguredPool configured, PoolKey key, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload)
    {
        var pool = configured.Pool;
        var raw = token.ToString(); // a whole string comes back as itself, a slice of a header is copied
        var sub = claims.Sub.ToString(payload);
        var groups = TokenPayload.ReadStrings(payload, claims.Groups);
        var issuedAt = claims.Iat.ToDateTimeOffset();
        var expiresAt = claims.Exp.ToDateTimeOffset();
        DateTimeOffset? notBefore = claims.Nbf.IsPresent ? claims.Nbf.ToDateTimeOffset() : null;
        DateTimeOffset? authTime = claims.AuthTime.IsPresent ? claims.AuthTime.ToDateTimeOffset() : null;
        var window = ValidityWindow.Of(ref claims);
        if (slot == TokenSlot.Id)
        {
            return new IdTokenClaims(
                raw,
                pool,
                sub,
                claims.CognitoUsername.ToString(payload),
                audience.Find(claims.Aud, payload)!,
                claims.Email.IsString ? claims.Email.ToString(payload) : null,
                EmailVerified(claims.EmailVerified, payload),
                groups,
                authTime,
                issuedAt,
                expiresAt,
                notBefore).Verified(key, IssuerForm(configured, ref claims, payload), window);
        }

        var scopes = claims.Scope.IsString
            ? claims.Scope.ToString(payload).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        return new AccessTokenClaims(
            raw,
            pool,
            sub,
            claims.Username.IsString ? claims.Username.ToString(payload) : null,
            audience.Find(claims.ClientId, payload)!,
            scopes,
            groups,
            claims.Jti.IsString ? claims.Jti.ToString(payload) : null,
            authTime,
            issuedAt,
            expiresAt,
            notBefore).Verified(key, IssuerForm(configured, ref claims, payload), window);
    }

    private static bool? EmailVerified(ClaimValue value, ReadOnlySpan<byte> payload) => value.Type switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when value.TextEquals(payload, "true"u8) => true,
        JsonTokenType.String when value.TextEquals(payload, "false"u8) => false,
        _ => null,
    };
}
