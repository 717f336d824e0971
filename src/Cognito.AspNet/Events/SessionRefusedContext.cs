using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoCookiesEvents.OnSessionRefused"/>.</summary>
public sealed class SessionRefusedContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthError error)
    : BaseContext<CognitoCookiesOptions>(context, scheme, options)
{
    /// <summary>Why: a stable code (<c>expired</c>, <c>bad-signature</c>, …) and a message without any token.</summary>
    public AuthError Error { get; } = error;
}
