using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoCookiesEvents.OnSigningIn"/>.</summary>
public sealed class SigningInContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthTokens session, string returnUrl)
    : BaseContext<CognitoCookiesOptions>(context, scheme, options)
{
    /// <summary>The new session, verified.</summary>
    public AuthTokens Session { get; } = session;

    /// <summary>Where the browser goes next; only a local URL is followed (anything else goes to the site's root).</summary>
    public string ReturnUrl { get; set; } = returnUrl;
}
