namespace Cognito;

/// <summary>
/// The refusals whose message is fixed, built once so that the reject paths an attacker can drive
/// (structure, size, no session) allocate nothing. Refusals that carry actual values (another
/// client id, how long ago a token expired) are built when they happen, after the signature check.
/// </summary>
internal static class Refusals
{
    internal enum Shape
    {
        Segments,
        Base64Url,
        HeaderNotObject,
        PayloadNotObject,
        HeaderDuplicate,
        PayloadDuplicate,
        HeaderTooDeep,
        PayloadTooDeep,
        Kid,
        Crit,
        IssuerType,
        TokenUseType,
    }

    private static readonly AuthError[,] ShapeErrors = BuildShapes();
    private static readonly AuthError[] Algs = BuildPerSlot(AuthFailure.UnsupportedAlg, s => $"{s} alg is not RS256 (Cognito signs RS256 only)");
    private static readonly AuthError[] Issuers = BuildPerSlot(AuthFailure.UnknownIssuer, s => $"{s} iss is not the issuer of a configured user pool");
    private static readonly AuthError[] Keys = BuildPerSlot(AuthFailure.UnknownKey, s => $"{s} kid is not a key of its user pool in the key set");
    private static readonly AuthError[] Signatures = BuildPerSlot(AuthFailure.BadSignature, s => $"{s} RS256 signature does not verify with the user pool's key");
    private static readonly AuthError[] TokenSizes = BuildPerSlot(AuthFailure.TooLarge, s => $"{s} is over the token size limit");

    internal static readonly AuthError NoCookieHeader = new(AuthFailure.NoSession, TokenSlot.None, "no Cookie header");
    internal static readonly AuthError NoToken = new(AuthFailure.NoSession, TokenSlot.None, "no token");
    internal static readonly AuthError HeaderTooLarge = new(AuthFailure.TooLarge, TokenSlot.None, "cookie header is over the size limit");

    internal static AuthError Malformed(TokenSlot slot, Shape shape) => ShapeErrors[(int)slot, (int)shape];

    internal static AuthError UnsupportedAlg(TokenSlot slot) => Algs[(int)slot];

    internal static AuthError UnknownIssuer(TokenSlot slot) => Issuers[(int)slot];

    internal static AuthError UnknownKey(TokenSlot slot) => Keys[(int)slot];

    internal static AuthError BadSignature(TokenSlot slot) => Signatures[(int)slot];

    internal static AuthError TokenTooLarge(TokenSlot slot) => TokenSizes[(int)slot];

    private static string Describe(Shape shape) => shape switch
    {
        Shape.Segments => "is not three non-empty base64url segments separated by '.'",
        Shape.Base64Url => "has a segment that is not canonical unpadded base64url",
        Shape.HeaderNotObject => "header is not a JSON object",
        Shape.PayloadNotObject => "payload is not a JSON object",
        Shape.HeaderDuplicate => "header has a duplicate member name",
        Shape.PayloadDuplicate => "payload has a duplicate member name",
        Shape.HeaderTooDeep => "header nests deeper than the limit",
        Shape.PayloadTooDeep => "payload nests deeper than the limit",
        Shape.Kid => "header has no string kid",
        Shape.Crit => "header has crit, and no extension is understood here (RFC 7515 §4.1.11)",
        Shape.IssuerType => "has no string iss claim",
        Shape.TokenUseType => "has no string token_use claim",
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static AuthError[,] BuildShapes()
    {
        var slots = Enum.GetValues<TokenSlot>();
        var shapes = Enum.GetValues<Shape>();
        var errors = new AuthError[slots.Length, shapes.Length];
        foreach (var slot in slots)
        {
            foreach (var shape in shapes)
            {
                errors[(int)slot, (int)shape] = new AuthError(
                    AuthFailure.Malformed, slot, $"{AuthError.SlotName(slot)} {Describe(shape)}");
            }
        }

        return errors;
    }

    private static AuthError[] BuildPerSlot(AuthFailure failure, Func<string, string> message) =>
        Enum.GetValues<TokenSlot>().Select(slot => new AuthError(failure, slot, message(AuthError.SlotName(slot)))).ToArray();
}
