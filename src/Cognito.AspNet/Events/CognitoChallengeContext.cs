using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The context of <see cref="CognitoCookiesEvents.OnChallenge"/>, as <c>JwtBearerChallengeContext</c>: the
/// request needs a signed-in user and has none. The scheme's answer — a page: a redirect to sign-in with
/// the local return URL; an API request or a bearer call: 401 with <c>WWW-Authenticate</c> and a JSON
/// body — is written after the event unless the app wrote its own and called <see cref="HandleResponse"/>.
/// </summary>
public sealed class CognitoChallengeContext(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, AuthenticationProperties properties, AuthError? error, bool isApiRequest)
    : PropertiesContext<CognitoCookiesOptions>(context, scheme, options, properties)
{
    /// <summary>Why the request is anonymous when it carried a session or bearer token that was refused (<c>expired</c>, <c>signed-out</c>, …); null when it carried none.</summary>
    public AuthError? Error { get; } = error;

    /// <summary>Whether the scheme answers this request as an API (401) rather than a page (redirect to sign-in).</summary>
    public bool IsApiRequest { get; } = isApiRequest;

    /// <summary>Whether the app wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's answer: the app wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}
