using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// <c>POST /auth/logout</c> (same origin only): revokes the session's refresh token (best effort, once
/// per session, and only for a session that verifies), records the session as signed out for every
/// instance (<see cref="SignedOutSessions"/>), expires every cookie of the session as it was written,
/// and redirects to the hosted UI's <c>/logout</c>.
/// </summary>
internal sealed class SignOutEndpoint(CognitoTokenClient tokenClient, RefreshCoordinator refresher, SignedOutSessions signedOut, ILogger logger, string scheme)
{
    internal async Task Handle(HttpContext context, CognitoCookiesOptions options, CognitoRuntime runtime)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (SameOrigin.CrossSiteEvidence(context.Request) is { } evidence)
        {
            // A form on another site (or a sibling subdomain) must not sign users out or revoke their tokens.
            logger.Throttled(runtime.Warnings, "CrossSiteSignOutRefused", log => log.CrossSiteSignOutRefused(evidence));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var auth = runtime.Auth;
        var header = CognitoRequest.CookieHeader(context.Request);

        // Revoke only the refresh token of a session that verifies (times aside): garbage cookies cost no call.
        var read = await auth.ReadSessionAsync(header).ConfigureAwait(false);
        var session = CognitoRequest.RefreshableSession(read, options);
        var (resolved, events) = await EventsOf.SchemeAsync(context, scheme, options).ConfigureAwait(false);
        await events.SigningOut(new SigningOutContext(context, resolved, options, context.GetCognitoTokens() ?? session)).ConfigureAwait(false);
        // A session already signed out (here or on another instance) costs no second revoke: repeated
        // sign-outs with one copied session are free for Cognito and for the server's budget.
        var ending = context.GetCognitoTokens() ?? session;
        var id = ending is null ? null : SignedOutSessions.SessionId(ending);
        var alreadyEnded = await signedOut.StateAsync(id, options.SignOutCheckInterval).ConfigureAwait(false) == SignedOutSessions.State.SignedOut;
        var revoked = false;
        if (session is not null && !alreadyEnded)
        {
            refresher.Forget(session.RefreshToken!);
            if (!runtime.RateLimiter.TryAcquire(context, BackchannelCall.Revoke))
            {
                logger.Throttled(runtime.Warnings, "BackchannelRateLimited", static log => log.BackchannelRateLimited("revoke"));
            }
            else
            {
                revoked = await tokenClient.RevokeAsync(CognitoUris.BackChannel(context.Request, options), options, session.RefreshToken!, context.RequestAborted).ConfigureAwait(false);
                if (!revoked)
                {
                    logger.Throttled(runtime.Warnings, "RevokeFailed", static log => log.RevokeFailed());
                }
            }
        }

        if (ending is not null && !alreadyEnded)
        {
            // Until the tokens expire; while an unrevoked refresh token could still bring the session back,
            // as long as its cookies live.
            var usableRefreshToken = ending.RefreshToken is not null && !revoked;
            await signedOut.RecordAsync(id, ending.ExpiresAt + options.ClockSkew + (usableRefreshToken ? options.CookieLifetime : TimeSpan.Zero)).ConfigureAwait(false);
        }

        AmplifyCookieWriter.Clear(context, options, read);
        logger.SignedOut(context.GetCognitoTokens()?.Sub ?? session?.Sub);
        var query = new Dictionary<string, string?> { ["client_id"] = auth.Options.ClientId, ["logout_uri"] = CognitoUris.SignOut(context.Request, options) };
        context.Response.Redirect(QueryHelpers.AddQueryString(new Uri(CognitoUris.FrontChannel(context.Request, options), "logout").ToString(), query));
    }
}
