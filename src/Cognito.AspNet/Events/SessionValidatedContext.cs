using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoCookiesEvents.OnSessionValidated"/>.</summary>
public sealed class SessionValidatedContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, ClaimsPrincipal principal, AuthTokens? session, AccessTokenClaims accessToken)
    : BaseContext<CognitoCookiesOptions>(context, scheme, options)
{
    /// <summary>The user the request will run as; replace or add identities here.</summary>
    public ClaimsPrincipal Principal { get; set; } = principal;

    /// <summary>The verified cookie session; null for a bearer token.</summary>
    public AuthTokens? Session { get; } = session;

    /// <summary>The verified access token (of the session, or the bearer token itself).</summary>
    public AccessTokenClaims AccessToken { get; } = accessToken;

    /// <summary>Why the app refused the request after all (see <see cref="Refuse"/>), or null.</summary>
    public string? RefusedBecause { get; private set; }

    /// <summary>Makes the request anonymous although the tokens verified (a tenant, a disabled user…).</summary>
    public void Refuse(string reason) => RefusedBecause = reason;
}
