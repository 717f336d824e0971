using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The context of <see cref="CognitoCookiesEvents.OnForbidden"/>: a signed-in user lacks what the endpoint
/// requires (a group, a scope). The scheme's answer — 403, with a JSON body for an API request and
/// <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> for a bearer call — is written after the
/// event unless the app wrote its own and called <see cref="HandleResponse"/>.
/// </summary>
public sealed class CognitoForbiddenContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthenticationProperties properties, bool isApiRequest)
    : PropertiesContext<CognitoCookiesOptions>(context, scheme, options, properties)
{
    /// <summary>Whether the scheme answers this request as an API (JSON body) rather than a page.</summary>
    public bool IsApiRequest { get; } = isApiRequest;

    /// <summary>Whether the app wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's answer: the app wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}
