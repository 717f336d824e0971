namespace Cognito;

/// <summary>
/// Why a session or token was refused. The set is closed and each value has a stable kebab-case
/// code (<see cref="AuthError.Code"/>) that is public API: the CLI prints it and the adapter logs it.
/// The order of the members is the order of the verification stages (docs/spec.md, "Stage order").
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
    /// <summary>
    /// <c>signed-out</c>: a session that verifies was signed out (or its refresh was refused for good) on
    /// some instance of the app; the ASP.NET Core adapter refuses it until its tokens expire. The core's
    /// own pipeline never gives it: it knows nothing of sign-outs.
    /// </summary>
    SignedOut,
}
