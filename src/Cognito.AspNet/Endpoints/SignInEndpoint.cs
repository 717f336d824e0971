using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.AspNet;

/// <summary>
/// <c>GET /auth/login?returnUrl=…</c>: starts a sign-in — a fresh state and PKCE verifier kept in the
/// flow cookie — and redirects to the hosted UI's <c>/oauth2/authorize</c> (authorization code, S256).
/// </summary>
internal sealed class SignInEndpoint(SignInFlowCookie flows)
{
    internal Task Handle(HttpContext context, CognitoCookiesOptions options)
    {
        var state = Pkce.NewSecret();
        var verifier = Pkce.NewSecret();
        var redirectUri = CognitoUris.Callback(context.Request, options);
        flows.Write(context, options, new SignInFlow(state, verifier, CognitoUris.LocalOrRoot(context.Request.Query["returnUrl"]), redirectUri, options.TimeProvider!.GetUtcNow() + SignInFlowCookie.Lifetime));

        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = options.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = string.Join(' ', options.Scopes),
            ["state"] = state,
            ["code_challenge"] = Pkce.Challenge(verifier),
            ["code_challenge_method"] = "S256",
        };
        if (options.IdentityProvider is { Length: > 0 } provider)
        {
            query["identity_provider"] = provider;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(QueryHelpers.AddQueryString(new Uri(CognitoUris.FrontChannel(context.Request, options), "oauth2/authorize").ToString(), query));
        return Task.CompletedTask;
    }
}
