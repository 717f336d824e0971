using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The context of <see cref="CognitoCookiesEvents.OnRefreshed"/>.</summary>
public sealed class SessionRefreshedContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthTokens previous, AuthTokens session)
    : BaseContext<CognitoCookiesOptions>(context, scheme, options)
{
    /// <summary>The session as it was (its tokens expired or about to).</summary>
    public AuthTokens Previous { get; } = previous;

    /// <summary>The refreshed session, verified, whose cookies are being written.</summary>
    public AuthTokens Session { get; } = session;
}
