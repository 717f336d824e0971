using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cognito.AspNet;

/// <summary>
/// APIs called with <c>Authorization: Bearer &lt;access token&gt;</c> (a SPA, a mobile app, another
/// service): the access token verified by the core with Cognito's rules — <c>client_id</c> one of the
/// configured app clients (access tokens have no <c>aud</c>), <c>token_use</c> = <c>access</c> (an id
/// token is refused), both issuer forms, key rotation. A refusal is a 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token", error_description="&lt;code&gt;"</c> (RFC 6750; the
/// code only, never the token).
/// </summary>
internal sealed class CognitoBearerHandler(IOptionsMonitor<CognitoBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder, SignedOutSessions signedOut, CognitoRuntimes runtimes)
    : AuthenticationHandler<CognitoBearerOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";
    private AuthError? _refusal;

    private new CognitoBearerEvents Events => (CognitoBearerEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new CognitoBearerEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await runtimes.VerifierOf(Options).VerifyAccessTokenAsync(header.AsMemory(Prefix.Length).Trim()).ConfigureAwait(false);
        if (!result.TryGetRight(out var claims, out var refusal))
        {
            return await RefuseAsync(refusal).ConfigureAwait(false);
        }

        // A signed-out session's access token is refused as a bearer token too, on every instance.
        if (SignedOutSessions.RefusalOf(await signedOut.StateAsync(SignedOutSessions.SessionId(claims), Options.SignOutCheckInterval).ConfigureAwait(false)) is { } ended)
        {
            return await RefuseAsync(ended).ConfigureAwait(false);
        }

        var validated = new BearerTokenValidatedContext(Context, Scheme, Options, CognitoClaims.Principal(claims, Scheme.Name, out var properties), claims);
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.RefusedBecause is { } reason)
        {
            Logger.SessionRefusedByApp(reason);
            return AuthenticateResult.Fail("refused by the application");
        }

        Logger.SessionAccepted(claims.Username ?? claims.ClientId);
        return AuthenticateResult.Success(new AuthenticationTicket(validated.Principal, properties, Scheme.Name));
    }

    private async Task<AuthenticateResult> RefuseAsync(AuthError refusal)
    {
        _refusal = refusal;
        Logger.SessionRefused(refusal.Code, refusal.Message);
        await Events.TokenRefused(new BearerTokenRefusedContext(Context, Scheme, Options, refusal)).ConfigureAwait(false);
        return AuthenticateResult.Fail(refusal.Code);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var challenge = new BearerChallengeContext(Context, Scheme, Options, properties, _refusal);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        // RFC 6750 §3: no error attributes when the request carried no token at all.
        Response.StatusCode = 401;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, _refusal is { } refusal
            ? $"Bearer error=\"invalid_token\", error_description=\"{refusal.Code}\""
            : "Bearer");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new BearerForbiddenContext(Context, Scheme, Options, properties);
        await Events.Forbidden(forbidden).ConfigureAwait(false);
        if (forbidden.Handled)
        {
            return;
        }

        Response.StatusCode = 403;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer error=\"insufficient_scope\"");
    }
}
