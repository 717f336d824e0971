using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoBearerEvents.OnTokenValidated"/>.</summary>
public sealed class BearerTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, CognitoBearerOptions options, ClaimsPrincipal principal, AccessTokenClaims accessToken)
    : BaseContext<CognitoBearerOptions>(context, scheme, options)
{
    /// <summary>The caller the request will run as; replace or add identities here.</summary>
    public ClaimsPrincipal Principal { get; set; } = principal;

    /// <summary>The verified access token.</summary>
    public AccessTokenClaims AccessToken { get; } = accessToken;

    /// <summary>Why the app refused the call after all (see <see cref="Refuse"/>), or null.</summary>
    public string? RefusedBecause { get; private set; }

    /// <summary>Makes the call anonymous (401) although the token verified.</summary>
    public void Refuse(string reason) => RefusedBecause = reason;
}
