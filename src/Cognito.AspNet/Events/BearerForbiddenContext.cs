using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The context of <see cref="CognitoBearerEvents.OnForbidden"/>: the caller is known but a policy refused
/// it. The scheme's answer — 403 with <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> — is
/// written after the event unless the app wrote its own and called <see cref="HandleResponse"/>.
/// </summary>
public sealed class BearerForbiddenContext(HttpContext context, AuthenticationScheme scheme, CognitoBearerOptions options, AuthenticationProperties properties)
    : PropertiesContext<CognitoBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Whether the app wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's answer: the app wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}
