using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The context of <see cref="CognitoBearerEvents.OnChallenge"/>, as <c>JwtBearerChallengeContext</c>: the
/// call needs a caller and has none. The scheme's answer — 401 with <c>WWW-Authenticate: Bearer</c> (and
/// <c>error="invalid_token"</c> with the code when a token was refused) — is written after the event unless
/// the app wrote its own and called <see cref="HandleResponse"/>.
/// </summary>
public sealed class BearerChallengeContext(HttpContext context, AuthenticationScheme scheme, CognitoBearerOptions options, AuthenticationProperties properties, AuthError? error)
    : PropertiesContext<CognitoBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Why the call is anonymous when it carried a token that was refused; null when it carried none.</summary>
    public AuthError? Error { get; } = error;

    /// <summary>Whether the app wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's answer: the app wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}
