using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// Where a scheme's identity provider is reached when it is not the hosted UI of
/// <see cref="CognitoCookiesOptions.Domain"/>: the front channel a browser is sent to, and the back
/// channel this server posts codes, refresh tokens and the client secret to. Set it as
/// <see cref="CognitoCookiesOptions.Endpoints"/> (the development user pool of
/// <c>Cognito.AspNet.Development</c> does, in a post-configuration of its own).
/// </summary>
public interface ICognitoEndpoints
{
    /// <summary>The base of <c>/oauth2/authorize</c> and <c>/logout</c> as the browser reaches it, ending with '/'.</summary>
    Uri FrontChannel(HttpRequest request);

    /// <summary>
    /// The base of <c>/oauth2/token</c> and <c>/oauth2/revoke</c>, ending with '/'; null while it is not
    /// known (calls then fail as unreachable). Never built from the request's Host or other headers: they
    /// are the client's to choose, and would send secrets where it says.
    /// </summary>
    Uri? BackChannel(HttpRequest request);

    /// <summary>
    /// Adds what the provider itself serves in this app (the development pool's endpoints) to the
    /// pipeline, where <c>UseCognitoCookies()</c> is called: after the app's own middleware (forwarded
    /// headers, HTTPS redirection), before authentication. Nothing by default.
    /// </summary>
    void Configure(IApplicationBuilder app)
    {
    }
}
