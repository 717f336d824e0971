using System.Text.Json;

namespace Cognito;

/// <summary>
/// Builds the public claim objects (<see cref="IdTokenClaims"/>, <see cref="AccessTokenClaims"/>) from a
/// payload whose claims were located and checked: the only place a verified token's strings are made.
/// </summary>
internal static class VerifiedClaims
{
    /// <summary>The claim objects of a token that passed every stage, with how it verified (key, issuer form, times).</summary>
    internal static TokenClaims Build(TokenSlot slot, ReadOnlyMemory<char> token, ConfiguredPool configured, PoolKey key, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload, Audience audience)
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
                notBefore).Verified(key, configured.IssuerForm(ref claims, payload), window);
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
            notBefore).Verified(key, configured.IssuerForm(ref claims, payload), window);
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
