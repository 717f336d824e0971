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
internal sealed class CognitoBearerHandler(IOptionsMonitor<CognitoCookiesOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<CognitoCookiesOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";
    private AuthError? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await Options.Auth!.VerifyAccessTokenAsync(header.AsMemory(Prefix.Length).Trim()).ConfigureAwait(false);
        return result.Match(
            Right: claims =>
            {
                Logger.SessionAccepted(claims.Username ?? claims.ClientId);
                var principal = new ClaimsPrincipal(CognitoClaims.Identity(claims, Scheme.Name));
                return AuthenticateResult.Success(new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = claims.ExpiresAt, IssuedUtc = claims.IssuedAt }, Scheme.Name));
            },
            Left: refusal =>
            {
                _refusal = refusal;
                Logger.SessionRefused(refusal.Code, refusal.Message);
                return AuthenticateResult.Fail(refusal.Code);
            });
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 6750 §3: no error attributes when the request carried no token at all.
        Response.StatusCode = 401;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, _refusal is { } refusal
            ? $"Bearer error=\"invalid_token\", error_description=\"{refusal.Code}\""
            : "Bearer");
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer error=\"insufficient_scope\"");
        return Task.CompletedTask;
    }
}
