using System.Buffers;
using System.Text;

namespace Cognito;

/// <summary>
/// One token through the stages of docs/spec.md, "Stage order": size → structure → alg → issuer →
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

    /// <summary>The Size stage for a token: checked before any decoding.</summary>
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

            if (ConfiguredPool.Issuing(Pools, ref claims, payload) is not { } pool)
            {
                return Refusals.UnknownIssuer(slot);
            }

            if (pool.Key(jose.Kid) is not { } key)
            {
                return Refusals.UnknownKey(slot);
            }

            var signingInput = memory[jose.Kid.Length..];
            var inputLength = Encoding.ASCII.GetBytes(text[segments.SigningInput], signingInput);
            if (!Rs256.Verifies(key, signingInput[..inputLength], signature))
            {
                return Refusals.BadSignature(slot);
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            if (ClaimRules.Check(slot, ref claims, payload, audience, now, skewSeconds, checkTimes) is { } refused)
            {
                return refused;
            }

            verified = VerifiedClaims.Build(slot, token, pool, key, ref claims, payload, audience);
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
            _ => ClaimLocator.CheckAndLocate(payload, ref claims) switch
            {
                JsonShapeFault.NotObject => Refusals.Malformed(slot, Refusals.Shape.PayloadNotObject),
                JsonShapeFault.TooDeep => Refusals.Malformed(slot, Refusals.Shape.PayloadTooDeep),
                JsonShapeFault.DuplicateName => Refusals.Malformed(slot, Refusals.Shape.PayloadDuplicate),
                _ => null,
            },
        };
}
