using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoBearerEvents.OnTokenRefused"/>.</summary>
public sealed class BearerTokenRefusedContext(HttpContext context, AuthenticationScheme scheme, CognitoBearerOptions options, AuthError error)
    : BaseContext<CognitoBearerOptions>(context, scheme, options)
{
    /// <summary>Why the token was refused (<see cref="AuthError.Code"/>: <c>expired</c>, <c>wrong-token-use</c>, <c>signed-out</c>, …).</summary>
    public AuthError Error { get; } = error;
}
