namespace Cognito;

/// <summary>
/// A refusal: the failure (and its stable <see cref="Code"/>), the token slot it concerns and a message
/// naming the slot and the rule with expected and actual values. A message never contains a token.
/// </summary>
public sealed record AuthError(AuthFailure Failure, TokenSlot Slot, string Message)
{
    /// <summary>The stable kebab-case code of docs/spec.md, "Error codes", e.g. <c>expired</c>.</summary>
    public string Code => CodeOf(Failure);

    /// <summary>All codes in stage order.</summary>
    internal static IReadOnlyList<string> Codes { get; } = Enum.GetValues<AuthFailure>().Select(CodeOf).ToArray();

    /// <summary>The stable code of a failure.</summary>
    public static string CodeOf(AuthFailure failure) => failure switch
    {
        AuthFailure.NoSession => "no-session",
        AuthFailure.TooLarge => "too-large",
        AuthFailure.Malformed => "malformed",
        AuthFailure.UnsupportedAlg => "unsupported-alg",
        AuthFailure.UnknownIssuer => "unknown-issuer",
        AuthFailure.UnknownKey => "unknown-key",
        AuthFailure.BadSignature => "bad-signature",
        AuthFailure.WrongTokenUse => "wrong-token-use",
        AuthFailure.WrongClient => "wrong-client",
        AuthFailure.Expired => "expired",
        AuthFailure.NotYetValid => "not-yet-valid",
        AuthFailure.IssuedInFuture => "issued-in-future",
        AuthFailure.MismatchedTokens => "mismatched-tokens",
        AuthFailure.SignedOut => "signed-out",
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Message}";

    internal static string SlotName(TokenSlot slot) => slot switch
    {
        TokenSlot.Id => "id token",
        TokenSlot.Access => "access token",
        _ => "session",
    };
}
