using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// <c>GET /auth/callback?code=…&amp;state=…</c>: the hosted UI's answer. The state is compared in
/// constant time with this browser's flow, each flow is used once, the code is exchanged on the back
/// channel (with the PKCE verifier), the tokens are verified by the same core as every request, the
/// Amplify cookies are written, and the browser goes back to a local URL only.
/// </summary>
internal sealed class CallbackEndpoint(SignInFlowCookie flows, CognitoTokenClient tokenClient, ILogger logger, string scheme)
{
    /// <summary>Where the README says what a web farm must share.</summary>
    internal const string SharedKeyRingHelp = "https://github.com/cognito-cookies/cognito-dotnet#running-several-instances";

    internal async Task Handle(HttpContext context, CognitoCookiesOptions options, CognitoRuntime runtime)
    {
        context.Response.Headers.CacheControl = "no-store";
        var flow = flows.Read(context, options, out var unreadable);
        var stateMatches = flow is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(context.Request.Query["state"].ToString()), Encoding.UTF8.GetBytes(flow.State));

        // Only an answer to this browser's own sign-in ends it: a stray or forged callback leaves the flow
        // cookie, so the real answer that follows still completes.
        if (stateMatches)
        {
            SignInFlowCookie.Expire(context, options);
        }

        if (unreadable)
        {
            // The classic web-farm failure, said plainly: the log names the cause and the fix once per minute.
            logger.Throttled(runtime.Warnings, "SignInStateUnreadable", static log => log.SignInStateUnreadable(SharedKeyRingHelp));
            await SignInFailure.Write(context, runtime.Warnings, logger, 400, "the sign-in state could not be read: this server cannot unprotect the sign-in cookie another instance wrote. Start again; if this keeps happening, the app's instances need one shared Data Protection key ring").ConfigureAwait(false);
            return;
        }

        if (Refusal(context, runtime, flow, stateMatches) is { } refusal)
        {
            await SignInFailure.Write(context, runtime.Warnings, logger, refusal.Status, refusal.Reason).ConfigureAwait(false);
            return;
        }

        // The budget before the state is spent: a refused callback leaves its state unused, and one client
        // spends no more states than it may make calls.
        if (!runtime.RateLimiter.TryAcquire(context, BackchannelCall.SignIn))
        {
            logger.Throttled(runtime.Warnings, "BackchannelRateLimited", static log => log.BackchannelRateLimited("code exchange"));
            await SignInFailure.Write(context, runtime.Warnings, logger, 429, "too many sign-ins from this address: wait a minute and start again").ConfigureAwait(false);
            return;
        }

        switch (runtime.SpentStates.TrySpend(flow!.State, flow.ExpiresAt, options.TimeProvider!.GetUtcNow(), BackchannelRateLimiter.ClientOf(context.Connection.RemoteIpAddress)))
        {
            case SpentStates.Outcome.Replayed:
                await SignInFailure.Write(context, runtime.Warnings, logger, 400, "this sign-in was already used: start again").ConfigureAwait(false);
                return;
            case SpentStates.Outcome.ClientFull:
                await SignInFailure.Write(context, runtime.Warnings, logger, 429, "too many sign-ins from this address: wait a few minutes and start again").ConfigureAwait(false);
                return;
            case SpentStates.Outcome.Full:
                await SignInFailure.Write(context, runtime.Warnings, logger, 503, "too many sign-ins in progress: try again in a few minutes").ConfigureAwait(false);
                return;
        }

        var auth = runtime.Auth;
        var response = await tokenClient.ExchangeCodeAsync(CognitoUris.BackChannel(context.Request, options), options, context.Request.Query["code"].ToString(), flow.Verifier, flow.RedirectUri, context.RequestAborted).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            await SignInFailure.Write(context, runtime.Warnings, logger, response.Error is "unreachable" or "timeout" or "invalid_response" ? 502 : 400, $"the token endpoint refused the code: {response.Error}").ConfigureAwait(false);
            return;
        }

        var verified = await auth.FromTokensAsync(response.IdToken, response.AccessToken).ConfigureAwait(false);
        if (!verified.TryGetRight(out var tokens, out var refused))
        {
            await SignInFailure.Write(context, runtime.Warnings, logger, 400, $"the tokens from the user pool were refused: {refused.Code}").ConfigureAwait(false);
            return;
        }

        var (resolved, events) = await EventsOf.SchemeAsync(context, scheme, options).ConfigureAwait(false);
        var signingIn = new SigningInContext(context, resolved, options, tokens with { RefreshToken = response.RefreshToken }, flow.ReturnUrl);
        await events.SigningIn(signingIn).ConfigureAwait(false);
        var cookies = AmplifyCookieWriter.Plan(context, options, auth.Options.ClientId, tokens, response.RefreshToken);
        var (headerBytes, limit) = (CookieHeaderBudget.Bytes(cookies, CognitoRequest.CookieHeader(context.Request)), CookieHeaderBudget.Limit(context));
        if (headerBytes > limit)
        {
            // Written, these cookies would have every later request refused by the server (431), sign-out included.
            logger.Throttled(runtime.Warnings, "SessionTooLargeForServer", log => log.SessionTooLargeForServer(headerBytes, limit));
            await SignInFailure.Write(context, runtime.Warnings, logger, 400, $"the user pool signed you in, but your account's tokens are too large for this site: their cookies would make a {headerBytes}-byte Cookie header, over the {limit} bytes the server accepts, and every later request would be refused. Ask the site's administrator (fewer groups or smaller custom attributes, or a larger header limit)").ConfigureAwait(false);
            return;
        }

        if (AmplifyCookieWriter.Write(context, cookies) is var (kind, bytes))
        {
            logger.Throttled(runtime.Warnings, "CookieTooLarge", log => log.CookieTooLarge(kind, bytes, AmplifyCookieWriter.BrowserCookieLimit));
        }

        logger.SignedIn(tokens.Sub);
        context.Response.Redirect(CognitoUris.LocalOrRoot(signingIn.ReturnUrl));
    }

    /// <summary>Why this callback cannot go on to the token endpoint, in the order the checks run; null when it can.</summary>
    private static (int Status, string Reason)? Refusal(HttpContext context, CognitoRuntime runtime, SignInFlow? flow, bool stateMatches)
    {
        if (context.Request.Query["error"] is { Count: > 0 } error)
        {
            return (400, $"the user pool refused the sign-in: {SignInFailure.OAuthCode(error.ToString())}");
        }

        if (flow is null)
        {
            return (400, "no sign-in in progress, or it took over 5 minutes: start again");
        }

        if (!stateMatches)
        {
            return (400, "state mismatch: this sign-in was not started here");
        }

        // One callback per flow: a replayed flow cookie costs no call to Cognito, nor any budget.
        if (runtime.SpentStates.WasSpent(flow.State))
        {
            return (400, "this sign-in was already used: start again");
        }

        return context.Request.Query["code"].ToString().Length == 0 ? (400, "no authorization code") : null;
    }
}
