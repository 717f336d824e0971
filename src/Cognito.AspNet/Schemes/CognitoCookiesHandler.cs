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
    SessionRefresher sessions,
    SignedOutSessions signedOut,
    CognitoRuntimes runtimes)
    : AuthenticationHandler<CognitoCookiesOptions>(options, logger, encoder)
{
    /// <summary>The scheme's events (<see cref="CognitoCookiesOptions.Events"/> or <see cref="AuthenticationSchemeOptions.EventsType"/>).</summary>
    private new CognitoCookiesEvents Events => (CognitoCookiesEvents)base.Events!;

    /// <summary>Why this request's session was refused, for the challenge event; null when it carried none.</summary>
    private AuthError? _refusal;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new CognitoCookiesEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var runtime = runtimes.Of(Options);
        var auth = runtime.Auth;
        var header = CognitoRequest.CookieHeader(Request);
        var read = await auth.ReadSessionAsync(header).ConfigureAwait(false);
        if (read.Result.TryGetRight(out var tokens, out var refusal))
        {
            if (await SignedOutRefusalAsync(tokens).ConfigureAwait(false) is { } ended)
            {
                return await RefusedAsync(read, ended).ConfigureAwait(false);
            }

            if (tokens.RefreshToken is not null && tokens.ExpiresAt - TimeProvider.GetUtcNow() <= Options.RefreshMargin)
            {
                tokens = await sessions.RefreshAsync(Context, Scheme, Options, Events, runtime, header, read, tokens, stillValid: true).ConfigureAwait(false) ?? tokens;
            }

            return await SuccessAsync(tokens).ConfigureAwait(false);
        }

        if (read.Expired is not null && CognitoRequest.RefreshableSession(read, Options) is { } expired)
        {
            // A session signed out elsewhere is never refreshed back to life, whatever its refresh token.
            if (await SignedOutRefusalAsync(expired).ConfigureAwait(false) is { } ended)
            {
                return await RefusedAsync(read, ended).ConfigureAwait(false);
            }

            if (await sessions.RefreshAsync(Context, Scheme, Options, Events, runtime, header, read, expired, stillValid: false).ConfigureAwait(false) is { } refreshed)
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
    private async Task<AuthenticateResult> RefusedAsync(CookieSession read, AuthError refusal)
    {
        if (ReferenceEquals(refusal, SignedOutSessions.SignedOutRefusal))
        {
            AmplifyCookieWriter.Clear(Context, Options, read);
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
            Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{Scheme.Name} realm=\"{runtimes.Of(Options).Pool.Issuer}\"");
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
