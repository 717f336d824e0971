namespace Cognito;

/// <summary>
/// The Pair stage: an id token and an access token make one session only if they are of the same
/// user of the same pool: same pool (either issuer form: a pool moved to the updated form mid-session
/// still has one user), same <c>sub</c>, and the id token's <c>cognito:username</c> equal to the access
/// token's <c>username</c> (so a machine-to-machine access token, which has none, is never half of a
/// session). LastAuthUser only points at the cookies and is not compared: the tokens are what is signed.
/// </summary>
internal static class TokenPair
{
    private static readonly AuthError DifferentSub = Mismatch("sub");
    private static readonly AuthError DifferentIssuer = Mismatch("issuer (user pool)");
    private static readonly AuthError DifferentUsername = Mismatch("username (cognito:username vs username)");

    internal static AuthError? Check(IdTokenClaims id, AccessTokenClaims access) =>
        id.Pool != access.Pool ? DifferentIssuer
        : !string.Equals(id.Sub, access.Sub, StringComparison.Ordinal) ? DifferentSub
        : !string.Equals(id.Username, access.Username, StringComparison.Ordinal) ? DifferentUsername
        : null;

    private static AuthError Mismatch(string what) =>
        new(AuthFailure.MismatchedTokens, TokenSlot.None, $"id token and access token have different {what}: they are not one session");
}
