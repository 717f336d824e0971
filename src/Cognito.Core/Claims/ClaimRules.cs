namespace Cognito;

/// <summary>
/// The Claims stage: the rules of docs/spec.md, "Claims" and "Times", on a payload whose signature verified, in this order:
/// <c>token_use</c> for the slot; the slot's required claims and the JSON type of every claim the
/// verifier knows; the app client (<c>aud</c> or <c>client_id</c>); then the times (<c>exp</c>,
/// <c>nbf</c>, <c>iat</c>) against the injected clock with one skew.
/// </summary>
internal static class ClaimRules
{
    private const int MaxShownLength = 64;

    internal static AuthError? Check(TokenSlot slot, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload, Audience audience, double now, double skew, bool checkTimes = true) =>
        TokenUse(slot, ref claims, payload)
        ?? Shapes(slot, ref claims)
        ?? Client(slot, ref claims, payload, audience)
        ?? (checkTimes ? Times(slot, ref claims, now, skew) : null);

    private static AuthError? TokenUse(TokenSlot slot, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload)
    {
        if (!claims.TokenUse.IsString)
        {
            return Refusals.Malformed(slot, Refusals.Shape.TokenUseType);
        }

        var expected = slot == TokenSlot.Id ? "id"u8 : "access"u8;
        return claims.TokenUse.TextEquals(payload, expected)
            ? null
            : new AuthError(
                AuthFailure.WrongTokenUse,
                slot,
                $"{AuthError.SlotName(slot)} token_use is '{Shown(claims.TokenUse.ToString(payload))}', expected '{(slot == TokenSlot.Id ? "id" : "access")}'");
    }

    private static AuthError? Shapes(TokenSlot slot, scoped ref TokenPayload claims)
    {
        var isId = slot == TokenSlot.Id;
        return Text(slot, claims.Sub, "sub", required: true)
            ?? Text(slot, claims.Aud, "aud", required: isId)
            ?? Text(slot, claims.CognitoUsername, "cognito:username", required: isId)
            ?? Text(slot, claims.ClientId, "client_id", required: !isId)
            ?? Text(slot, claims.Username, "username", required: false) // absent in machine-to-machine access tokens
            ?? Text(slot, claims.Scope, "scope", required: false)
            ?? Date(slot, claims.Exp, "exp", required: true)
            ?? Date(slot, claims.Iat, "iat", required: true)
            ?? Date(slot, claims.Nbf, "nbf", required: false)
            ?? Date(slot, claims.AuthTime, "auth_time", required: false)
            ?? Groups(slot, ref claims);
    }

    private static AuthError? Text(TokenSlot slot, ClaimValue value, string name, bool required) =>
        value.IsPresent
            ? value.IsString ? null : ClaimShape(slot, name, "must be a string")
            : required ? ClaimShape(slot, name, "is missing") : null;

    private static AuthError? Date(TokenSlot slot, DateClaim value, string name, bool required) =>
        value.IsPresent
            ? value.IsValid ? null : ClaimShape(slot, name, "must be a NumericDate: a number of seconds between 1970 and 9999")
            : required ? ClaimShape(slot, name, "is missing") : null;

    private static AuthError? Groups(TokenSlot slot, scoped ref TokenPayload claims) =>
        claims.Groups.IsPresent && !claims.GroupsAreStrings
            ? ClaimShape(slot, "cognito:groups", "must be an array of strings")
            : null;

    private static AuthError ClaimShape(TokenSlot slot, string claim, string rule) =>
        new(AuthFailure.Malformed, slot, $"{AuthError.SlotName(slot)} claim '{claim}' {rule}");

    private static AuthError? Client(TokenSlot slot, scoped ref TokenPayload claims, ReadOnlySpan<byte> payload, Audience audience)
    {
        var (value, name) = slot == TokenSlot.Id ? (claims.Aud, "aud") : (claims.ClientId, "client_id");
        return audience.Find(value, payload) is not null
            ? null
            : new AuthError(
                AuthFailure.WrongClient,
                slot,
                $"{AuthError.SlotName(slot)} {name} is '{Shown(value.ToString(payload))}', expected app client {audience.Expected}");
    }

    private static AuthError? Times(TokenSlot slot, scoped ref TokenPayload claims, double now, double skew)
    {
        var name = AuthError.SlotName(slot);
        var window = ValidityWindow.Of(ref claims);
        return window.Failure(now, skew) switch
        {
            AuthFailure.Expired => new AuthError(AuthFailure.Expired, slot, $"{name} expired {Seconds(now - window.Exp)} s ago (exp {window.Exp:0}, clock skew {skew:0} s)"),
            AuthFailure.NotYetValid => new AuthError(AuthFailure.NotYetValid, slot, $"{name} is not valid for another {Seconds(window.Nbf - now)} s (nbf {window.Nbf:0}, clock skew {skew:0} s)"),
            AuthFailure.IssuedInFuture => new AuthError(AuthFailure.IssuedInFuture, slot, $"{name} was issued {Seconds(window.Iat - now)} s in the future (iat {window.Iat:0}, clock skew {skew:0} s)"),
            _ => null,
        };
    }

    private static string Seconds(double seconds) => Math.Floor(seconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Claim values in messages are cut short: a message is for a person, not a copy of the payload.</summary>
    private static string Shown(string value) =>
        value.Length <= MaxShownLength ? value : string.Concat(value.AsSpan(0, MaxShownLength), "…");
}
