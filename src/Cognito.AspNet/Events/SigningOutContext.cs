using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoCookiesEvents.OnSigningOut"/>.</summary>
public sealed class SigningOutContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthTokens? session)
    : BaseContext<CognitoCookiesOptions>(context, scheme, options)
{
    /// <summary>The session being ended (its tokens verified, times aside), or null when the cookies hold none.</summary>
    public AuthTokens? Session { get; } = session;
}
