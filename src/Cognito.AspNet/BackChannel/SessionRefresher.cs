using System.Diagnostics;
using LanguageExt;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet;

/// <summary>
/// The refresh of a session on the back channel, for the cookie scheme: checks that the header names one
/// session, asks <see cref="RefreshCoordinator"/> (one call per refresh token, within the budget of
/// <see cref="BackchannelRateLimiter"/>), verifies what comes back through the core, and writes the new
/// cookies — or marks the browser for a retry, or ends the session (<see cref="RefreshRace"/>,
/// <see cref="SignedOutSessions"/>). Counted in <c>cognito.refreshes</c> by outcome.
/// </summary>
internal sealed class SessionRefresher(CognitoTokenClient tokenClient, RefreshCoordinator refresher, SignedOutSessions signedOut, ILoggerFactory loggers)
{
    // The handler's category, as before the refresh moved here: log filters keep working.
    private readonly ILogger _logger = loggers.CreateLogger(typeof(CognitoCookiesHandler).FullName!);

    /// <summary>
    /// Refreshes <paramref name="session"/> with its own refresh token, and accepts the answer only for
    /// the same user (<c>sub</c> and username): a refresh token tossed into the header by another site
    /// can never sign the request in as someone else. Not at all when the header carries one of the
    /// client's cookie names twice (which cookie is the session's is then unknowable), or when the
    /// request is over its budget of calls to Cognito. <c>invalid_grant</c> ends the session only when
    /// its tokens no longer verify on their own.
    /// </summary>
    internal async Task<AuthTokens?> RefreshAsync(HttpContext context, AuthenticationScheme scheme, CognitoCookiesOptions options, CognitoCookiesEvents events, CognitoRuntime runtime, string? header, CookieSession read, AuthTokens session, bool stillValid)
    {
        var names = read.CookieNames;
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count())
        {
            _logger.Throttled(runtime.Warnings, "DuplicateSessionCookies", static log => log.DuplicateSessionCookies());
            return Refreshed(null, "duplicate-cookies");
        }

        using var activity = RefreshTelemetry.Source.StartActivity("cognito.refresh", ActivityKind.Client);

        var refreshToken = session.RefreshToken!;
        var idp = CognitoUris.BackChannel(context.Request, options);
        Task<TokenResponse> Ask() => refresher.RefreshAsync(
            refreshToken,
            () => runtime.RateLimiter.TryAcquire(context, BackchannelCall.Refresh)
                ? tokenClient.RefreshAsync(idp, options, refreshToken, CancellationToken.None)
                : Task.FromResult(TokenResponse.Failed(RateLimited)),
            options.RefreshTokenGracePeriod);
        var response = await Ask().ConfigureAwait(false);
        var verified = Verify(runtime, response);
        if (!verified.TryGetRight(out _, out var stale) && stale.Failure == AuthFailure.Expired)
        {
            // A success kept for the requests that still carry the old cookies has outlived its own tokens
            // (they live shorter than it is kept, as the development pool's short lifetimes can): ask again.
            refresher.Discard(refreshToken, response);
            response = await Ask().ConfigureAwait(false);
            verified = Verify(runtime, response);
        }

        if (!response.Succeeded)
        {
            var error = response.Error ?? "no tokens";
            _logger.Throttled(runtime.Warnings, "RefreshFailed", log => log.RefreshFailed(error));
            activity?.SetStatus(ActivityStatusCode.Error, error);
            if (error is "invalid_grant" && !stillValid)
            {
                if (RefreshRace.SeenBefore(context, refreshToken))
                {
                    // Refused again with the same cookies after a retry: no winner's cookies came, the session is over.
                    AmplifyCookieWriter.Clear(context, options, read);
                    RefreshRace.Unmark(context);
                    refresher.Forget(refreshToken);
                    // Cognito will refuse this refresh token for good: copies of the session skip the call
                    // for as long as they could ask (docs/spec.md, "Sign-out").
                    await signedOut.RecordAsync(SignedOutSessions.SessionId(session), session.ExpiresAt + options.CookieLifetime).ConfigureAwait(false);
                    return Refreshed(activity, "session-ended");
                }

                // Revoked, expired, or replaced by another instance's refresh (rotation) whose new cookies
                // may be on their way: keep the cookies, let the browser ask again with what it has then.
                RefreshRace.Mark(context, refreshToken);
                return Refreshed(activity, "retry");
            }

            return Refreshed(activity, error switch
            {
                "invalid_grant" => "invalid-grant",
                RateLimited => "rate-limited",
                _ => "failed",
            });
        }

        if (!verified.TryGetRight(out var fresh, out var refused))
        {
            _logger.Throttled(runtime.Warnings, "RefreshFailed", log => log.RefreshFailed($"refreshed tokens refused: {refused.Code}"));
            return Refreshed(activity, "tokens-refused");
        }

        var tokens = fresh with { RefreshToken = response.RefreshToken ?? refreshToken };
        if (tokens.Sub != session.Sub || tokens.Username != session.Username)
        {
            _logger.Throttled(runtime.Warnings, "RefreshedAnotherUser", log => log.RefreshedAnotherUser(session.Sub));
            return Refreshed(activity, "another-user");
        }

        var cookies = AmplifyCookieWriter.Plan(context, options, runtime.Auth.Options.ClientId, tokens, tokens.RefreshToken);
        var (headerBytes, limit) = (CookieHeaderBudget.Bytes(cookies, header), CookieHeaderBudget.Limit(context));
        if (headerBytes > limit)
        {
            // Grown past what the server accepts (more groups since sign-in): not written, or the user would be locked out.
            _logger.Throttled(runtime.Warnings, "SessionTooLargeForServer", log => log.SessionTooLargeForServer(headerBytes, limit));
            return Refreshed(activity, "too-large");
        }

        if (AmplifyCookieWriter.Write(context, cookies) is var (kind, bytes))
        {
            _logger.Throttled(runtime.Warnings, "CookieTooLarge", log => log.CookieTooLarge(kind, bytes, AmplifyCookieWriter.BrowserCookieLimit));
        }

        _logger.SessionRefreshed(tokens.Sub);
        await events.Refreshed(new SessionRefreshedContext(context, scheme, options, session, tokens)).ConfigureAwait(false);
        return Refreshed(tokens, activity, "refreshed");
    }

    /// <summary>The core's verdict on what the token endpoint answered (a failed answer is no session).</summary>
    private static Either<AuthError, AuthTokens> Verify(CognitoRuntime runtime, TokenResponse response) =>
        response.Succeeded ? runtime.Auth.FromTokens(response.IdToken, response.AccessToken) : NoTokens;

    private static readonly AuthError NoTokens = new(AuthFailure.NoSession, TokenSlot.None, "the token endpoint answered no tokens");

    /// <summary>Counts a refresh's outcome (<c>cognito.refreshes</c>, tag <c>cognito.outcome</c>) and tags its activity.</summary>
    private static AuthTokens? Refreshed(Activity? activity, string outcome) => Refreshed(null, activity, outcome);

    private static AuthTokens? Refreshed(AuthTokens? tokens, Activity? activity, string outcome)
    {
        RefreshTelemetry.Refreshes.Add(1, new KeyValuePair<string, object?>("cognito.outcome", outcome));
        activity?.SetTag("cognito.outcome", outcome);
        return tokens;
    }

    /// <summary>The error a call refused by the rate limit stands for (it never reached Cognito).</summary>
    internal const string RateLimited = "rate_limited";
}
