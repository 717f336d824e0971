namespace Cognito;

/// <summary>
/// Why a session or token was refused. The set is closed and each value has a stable kebab-case
/// code (<see cref="AuthError.Code"/>) that is public API: the CLI prints it and the adapter logs it.
/// The order of the members is the order of the verification stages (SPEC §2).
/// </summary>
public enum AuthFailure
{
    /// <summary><c>no-session</c>: no Cookie header, no LastAuthUser for this app client, or its idToken/accessToken cookie missing.</summary>
    NoSession,
    /// <summary><c>too-large</c>: the cookie header or a token is over its size limit (checked before any decoding).</summary>
    TooLarge,
    /// <summary><c>malformed</c>: not a well-formed JWS compact token with JSON-object header and payload, or a claim of the wrong type.</summary>
    Malformed,
    /// <summary><c>unsupported-alg</c>: <c>alg</c> is anything but <c>RS256</c>.</summary>
    UnsupportedAlg,
    /// <summary><c>unknown-issuer</c>: <c>iss</c> is not the issuer of a configured user pool.</summary>
    UnknownIssuer,
    /// <summary><c>unknown-key</c>: no key with this <c>kid</c> for that issuer.</summary>
    UnknownKey,
    /// <summary><c>bad-signature</c>: the RS256 signature does not verify with the selected key.</summary>
    BadSignature,
    /// <summary><c>wrong-token-use</c>: <c>token_use</c> does not match the cookie slot.</summary>
    WrongTokenUse,
    /// <summary><c>wrong-client</c>: <c>aud</c> (id token) or <c>client_id</c> (access token) is another app client.</summary>
    WrongClient,
    /// <summary><c>expired</c>: now ≥ exp + skew.</summary>
    Expired,
    /// <summary><c>not-yet-valid</c>: now &lt; nbf − skew.</summary>
    NotYetValid,
    /// <summary><c>issued-in-future</c>: iat &gt; now + skew.</summary>
    IssuedInFuture,
    /// <summary><c>mismatched-tokens</c>: the id and access token disagree on sub, issuer or username.</summary>
    MismatchedTokens,
}

/// <summary>Which token a rule was applied to.</summary>
public enum TokenSlot
{
    /// <summary>Not about one token (the cookie header, the session, the pair).</summary>
    None,
    /// <summary>The id token (Amplify's <c>.idToken</c> cookie).</summary>
    Id,
    /// <summary>The access token (Amplify's <c>.accessToken</c> cookie).</summary>
    Access,
}

/// <summary>
/// A refusal: the failure (and its stable <see cref="Code"/>), the token slot it concerns and a message
/// naming the slot and the rule with expected and actual values. A message never contains a token.
/// </summary>
public sealed record AuthError(AuthFailure Failure, TokenSlot Slot, string Message)
{
    /// <summary>The stable kebab-case code of SPEC §2, e.g. <c>expired</c>.</summary>
    public string Code => CodeOf(Failure);

    /// <summary>All codes in stage order.</summary>
    public static IReadOnlyList<string> Codes { get; } = Enum.GetValues<AuthFailure>().Select(CodeOf).ToArray();

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
