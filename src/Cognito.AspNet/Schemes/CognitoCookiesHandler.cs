using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cognito.AspNet;

/// <summary>
/// The authentication handler: the Amplify cookies of a request, verified by the core, become
/// <see cref="HttpContext.User"/>; a session whose tokens expired (or expire within the refresh
/// margin) is refreshed with its refresh token, once per token however many requests carry it. A
/// refused session is anonymous, never an exception. Challenges redirect pages to sign-in and give
/// APIs 401.
/// </summary>
internal sealed class CognitoCookiesHandler(
    IOptionsMonitor<CognitoCookiesOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CognitoTokenClient tokenClient,
    RefreshCoordinator refresher,
    SignedOutSessions signedOut)
    : AuthenticationHandler<CognitoCookiesOptions>(options, logger, encoder)
{
    /// <summary>The scheme's events (<see cref="CognitoCookiesOptions.Events"/> or <see cref="AuthenticationSchemeOptions.EventsType"/>).</summary>
    private new CognitoCookiesEvents Events => (CognitoCookiesEvents)base.Events!;

    /// <summary>Why this request's session was refused, for the challenge event; null when it carried none.</summary>
    private AuthError? _refusal;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new CognitoCookiesEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var auth = Options.Auth!;
        var header = CognitoRequest.CookieHeader(Request);
        var result = await auth.FromCookieHeaderAsync(header).ConfigureAwait(false);
        if (result.TryGetRight(out var tokens, out var refusal))
        {
            if (await SignedOutRefusalAsync(tokens).ConfigureAwait(false) is { } ended)
            {
                return await RefusedAsync(auth, header, ended).ConfigureAwait(false);
            }

            if (tokens.RefreshToken is not null && tokens.ExpiresAt - TimeProvider.GetUtcNow() <= Options.RefreshMargin)
            {
                tokens = await RefreshAsync(auth, header, tokens, stillValid: true).ConfigureAwait(false) ?? tokens;
            }

            return await SuccessAsync(tokens).ConfigureAwait(false);
        }

        if (refusal.Failure == AuthFailure.Expired && CognitoRequest.RefreshableSession(auth, header, Options) is { } expired)
        {
            // A session signed out elsewhere is never refreshed back to life, whatever its refresh token.
            if (await SignedOutRefusalAsync(expired).ConfigureAwait(false) is { } ended)
            {
                return await RefusedAsync(auth, header, ended).ConfigureAwait(false);
            }

            if (await RefreshAsync(auth, header, expired, stillValid: false).ConfigureAwait(false) is { } refreshed)
            {
                return await SuccessAsync(refreshed).ConfigureAwait(false);
            }
        }

        // Plain anonymous requests (no Amplify cookie at all) are not worth a log line or an event.
        if (refusal.Failure != AuthFailure.NoSession || header?.Contains("CognitoIdentityServiceProvider.", StringComparison.Ordinal) == true)
        {
            _refusal = refusal;
            Logger.SessionRefused(refusal.Code, refusal.Message);
            await Events.SessionRefused(new SessionRefusedContext(Context, Scheme, Options, refusal)).ConfigureAwait(false);
        }

        Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(null));
        return AuthenticateResult.NoResult();
    }

    /// <summary>The <c>signed-out</c> refusal when the session was signed out on some instance (or cannot be checked); else null.</summary>
    private async ValueTask<AuthError?> SignedOutRefusalAsync(AuthTokens session) =>
        SignedOutSessions.RefusalOf(await signedOut.StateAsync(SignedOutSessions.SessionId(session), Options.SignOutCheckInterval).ConfigureAwait(false));

    /// <summary>A verified session that was signed out: anonymous, and its cookies expired (they can never sign in again).</summary>
    private async Task<AuthenticateResult> RefusedAsync(CognitoAuth auth, string? header, AuthError refusal)
    {
        if (ReferenceEquals(refusal, SignedOutSessions.SignedOutRefusal))
        {
            AmplifyCookieWriter.Clear(Context, Options, auth, header);
        }

        _refusal = refusal;
        Logger.SessionRefused(refusal.Code, refusal.Message);
        await Events.SessionRefused(new SessionRefusedContext(Context, Scheme, Options, refusal)).ConfigureAwait(false);
        Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(null));
        return AuthenticateResult.NoResult();
    }

    private async Task<AuthenticateResult> SuccessAsync(AuthTokens tokens)
    {
        var validated = new SessionValidatedContext(Context, Scheme, Options, CognitoClaims.Principal(tokens, Scheme.Name, out var properties), tokens, tokens.Access);
        await Events.SessionValidated(validated).ConfigureAwait(false);
        if (validated.RefusedBecause is { } reason)
        {
            Logger.SessionRefusedByApp(reason);
            Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(null));
            return AuthenticateResult.NoResult();
        }

        Logger.SessionAccepted(tokens.Username);
        Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(tokens));
        return AuthenticateResult.Success(new AuthenticationTicket(validated.Principal, properties, Scheme.Name));
    }

    /// <summary>
    /// Refreshes <paramref name="session"/> with its own refresh token, and accepts the answer only for
    /// the same user (<c>sub</c> and username): a refresh token tossed into the header by another site
    /// can never sign the request in as someone else. Not at all when the header carries one of the
    /// client's cookie names twice (which cookie is the session's is then unknowable), or when the
    /// request is over its budget of calls to Cognito. <c>invalid_grant</c> ends the session only when
    /// its tokens no longer verify on their own.
    /// </summary>
    private async Task<AuthTokens?> RefreshAsync(CognitoAuth auth, string? header, AuthTokens session, bool stillValid)
    {
        var options = Options;
        var names = auth.AmplifyCookieNamesIn(header);
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count())
        {
            Logger.Throttled(options.Warnings!, "DuplicateSessionCookies", static log => log.DuplicateSessionCookies());
            return Refreshed(null, "duplicate-cookies");
        }

        using var activity = CognitoTelemetry.Source.StartActivity("cognito.refresh", ActivityKind.Client);

        var refreshToken = session.RefreshToken!;
        var idp = CognitoUris.BackChannel(Request, options);
        var context = Context;
        var response = await refresher.RefreshAsync(
            refreshToken,
            () => options.RateLimiter!.TryAcquire(context, BackchannelCall.Refresh)
                ? tokenClient.RefreshAsync(idp, options, refreshToken, CancellationToken.None)
                : Task.FromResult(TokenResponse.Failed(RateLimited)),
            options.RefreshTokenGracePeriod).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            var error = response.Error ?? "no tokens";
            Logger.Throttled(options.Warnings!, "RefreshFailed", log => log.RefreshFailed(error));
            activity?.SetStatus(ActivityStatusCode.Error, error);
            if (error is "invalid_grant" && !stillValid)
            {
                if (RefreshRace.SeenBefore(Context, refreshToken))
                {
                    // Refused again with the same cookies after a retry: no winner's cookies came, the session is over.
                    AmplifyCookieWriter.Clear(Context, options, auth, header);
                    RefreshRace.Unmark(Context);
                    refresher.Forget(refreshToken);
                    // Cognito will refuse this refresh token for good: copies of the session skip the call
                    // for as long as they could ask (docs/spec.md, "Sign-out").
                    await signedOut.RecordAsync(SignedOutSessions.SessionId(session), session.ExpiresAt + options.CookieLifetime).ConfigureAwait(false);
                    return Refreshed(activity, "session-ended");
                }

                // Revoked, expired, or replaced by another instance's refresh (rotation) whose new cookies
                // may be on their way: keep the cookies, let the browser ask again with what it has then.
                RefreshRace.Mark(Context, refreshToken);
                return Refreshed(activity, "retry");
            }

            return Refreshed(activity, error switch
            {
                "invalid_grant" => "invalid-grant",
                RateLimited => "rate-limited",
                _ => "failed",
            });
        }

        var verified = auth.FromTokens(response.IdToken, response.AccessToken);
        if (!verified.TryGetRight(out var fresh, out var refused))
        {
            Logger.Throttled(options.Warnings!, "RefreshFailed", log => log.RefreshFailed($"refreshed tokens refused: {refused.Code}"));
            return Refreshed(activity, "tokens-refused");
        }

        var tokens = fresh with { RefreshToken = response.RefreshToken ?? refreshToken };
        if (tokens.Sub != session.Sub || tokens.Username != session.Username)
        {
            Logger.Throttled(options.Warnings!, "RefreshedAnotherUser", log => log.RefreshedAnotherUser(session.Sub));
            return Refreshed(activity, "another-user");
        }

        var cookies = AmplifyCookieWriter.Plan(Context, options, auth.Options.ClientId, tokens, tokens.RefreshToken);
        var (headerBytes, limit) = (CookieHeaderBudget.Bytes(cookies, header), CookieHeaderBudget.Limit(Context));
        if (headerBytes > limit)
        {
            // Grown past what the server accepts (more groups since sign-in): not written, or the user would be locked out.
            Logger.Throttled(options.Warnings!, "SessionTooLargeForServer", log => log.SessionTooLargeForServer(headerBytes, limit));
            return Refreshed(activity, "too-large");
        }

        if (AmplifyCookieWriter.Write(Context, cookies) is var (kind, bytes))
        {
            Logger.Throttled(options.Warnings!, "CookieTooLarge", log => log.CookieTooLarge(kind, bytes, AmplifyCookieWriter.BrowserCookieLimit));
        }

        Logger.SessionRefreshed(tokens.Sub);
        await Events.Refreshed(new SessionRefreshedContext(Context, Scheme, options, session, tokens)).ConfigureAwait(false);
        return Refreshed(tokens, activity, "refreshed");
    }

    /// <summary>Counts a refresh's outcome (<c>cognito.refreshes</c>, tag <c>cognito.outcome</c>) and tags its activity.</summary>
    private static AuthTokens? Refreshed(Activity? activity, string outcome) => Refreshed(null, activity, outcome);

    private static AuthTokens? Refreshed(AuthTokens? tokens, Activity? activity, string outcome)
    {
        CognitoTelemetry.Refreshes.Add(1, new KeyValuePair<string, object?>("cognito.outcome", outcome));
        activity?.SetTag("cognito.outcome", outcome);
        return tokens;
    }

    /// <summary>The error a call refused by the rate limit stands for (it never reached Cognito).</summary>
    internal const string RateLimited = "rate_limited";

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var api = CognitoRequest.IsApiRequest(Request, Options);
        var challenge = new CognitoChallengeContext(Context, Scheme, Options, properties, _refusal, api);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        if (api)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{Scheme.Name} realm=\"{Options.Auth!.Options.UserPools[0].Issuer}\"");
            Response.ContentType = "application/json";
            Response.Headers.XContentTypeOptions = "nosniff";
            await Response.WriteAsync("{\"error\":\"not signed in\"}").ConfigureAwait(false);
            return;
        }

        var returnUrl = CognitoUris.LocalOrRoot(properties.RedirectUri ?? $"{Request.PathBase}{Request.Path}{Request.QueryString}");
        Response.Redirect($"{Request.PathBase}{Options.BasePath}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var api = CognitoRequest.IsApiRequest(Request, Options);
        var forbidden = new CognitoForbiddenContext(Context, Scheme, Options, properties, api);
        await Events.Forbidden(forbidden).ConfigureAwait(false);
        if (forbidden.Handled)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (api)
        {
            Response.ContentType = "application/json";
            Response.Headers.XContentTypeOptions = "nosniff";
            await Response.WriteAsync("{\"error\":\"forbidden\"}").ConfigureAwait(false);
        }
    }
}
