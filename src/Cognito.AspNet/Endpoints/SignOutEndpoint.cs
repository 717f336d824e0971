using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// <c>POST /auth/logout</c> (same origin only): revokes the session's refresh token (best effort, and
/// only for a session that verifies), expires every cookie of the session as it was written, and
/// redirects to the hosted UI's <c>/logout</c>.
/// </summary>
internal sealed class SignOutEndpoint(CognitoTokenClient tokenClient, ILogger logger, string scheme)
{
    internal async Task Handle(HttpContext context, CognitoCookiesOptions options)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (SameOrigin.CrossSiteEvidence(context.Request) is { } evidence)
        {
            // A form on another site (or a sibling subdomain) must not sign users out or revoke their tokens.
            logger.Throttled(options.Warnings!, "CrossSiteSignOutRefused", log => log.CrossSiteSignOutRefused(evidence));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var auth = options.Auth!;
        var header = CognitoCookiesHandler.CookieHeader(context.Request);

        // Revoke only the refresh token of a session that verifies (times aside): garbage cookies cost no call.
        var session = CognitoCookiesHandler.RefreshableSession(auth, header, options);
        var (resolved, events) = await EventsOf.SchemeAsync(context, scheme, options).ConfigureAwait(false);
        await events.SigningOut(new SigningOutContext(context, resolved, options, context.GetCognitoTokens() ?? session)).ConfigureAwait(false);
        if (session is not null)
        {
            if (!options.RateLimiter!.TryAcquire(context))
            {
                logger.Throttled(options.Warnings!, "BackchannelRateLimited", static log => log.BackchannelRateLimited("revoke"));
            }
            else if (!await tokenClient.RevokeAsync(CognitoUris.BackChannel(context.Request, options), options, session.RefreshToken!, context.RequestAborted).ConfigureAwait(false))
            {
                logger.Throttled(options.Warnings!, "RevokeFailed", static log => log.RevokeFailed());
            }
        }

        AmplifyCookieWriter.Clear(context, options, auth, header);
        logger.SignedOut(context.GetCognitoTokens()?.Sub ?? session?.Sub);
        var query = new Dictionary<string, string?> { ["client_id"] = auth.Options.ClientId, ["logout_uri"] = CognitoUris.SignOut(context.Request, options) };
        context.Response.Redirect(QueryHelpers.AddQueryString(new Uri(CognitoUris.FrontChannel(context.Request, options), "logout").ToString(), query));
    }
}
