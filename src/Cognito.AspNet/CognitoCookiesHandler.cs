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
    RefreshCoordinator refresher)
    : AuthenticationHandler<CognitoCookiesOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var auth = Options.Auth!;
        var header = CookieHeader(Request);
        var result = await auth.FromCookieHeaderAsync(header).ConfigureAwait(false);
        if (result.Case is AuthTokens tokens)
        {
            if (tokens.RefreshToken is { } refreshToken && tokens.ExpiresAt - TimeProvider.GetUtcNow() <= Options.RefreshMargin)
            {
                tokens = await RefreshAsync(auth, refreshToken).ConfigureAwait(false) ?? tokens;
            }

            return Success(tokens);
        }

        var refusal = (AuthError)result.Case!;
        if (refusal.Failure == AuthFailure.Expired && auth.ReadRefreshToken(header) is { } expiredRefreshToken
            && await RefreshAsync(auth, expiredRefreshToken).ConfigureAwait(false) is { } refreshed)
        {
            return Success(refreshed);
        }

        // Plain anonymous requests (no Amplify cookie at all) are not worth a log line.
        if (refusal.Failure != AuthFailure.NoSession || header?.Contains("CognitoIdentityServiceProvider.", StringComparison.Ordinal) == true)
        {
            Logger.SessionRefused(refusal.Code, refusal.Message);
        }

        Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(null));
        return AuthenticateResult.NoResult();
    }

    /// <summary>HTTP/2 and HTTP/3 may split cookies over several headers; RFC 6265 §5.4 joins them with "; ".</summary>
    internal static string? CookieHeader(HttpRequest request)
    {
        var values = request.Headers.Cookie;
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join("; ", values.ToArray()),
        };
    }

    private AuthenticateResult Success(AuthTokens tokens)
    {
        Logger.SessionAccepted(tokens.Username);
        Context.Features.Set<ICognitoSessionFeature>(new CognitoSessionFeature(tokens));
        var principal = new ClaimsPrincipal(CognitoClaims.Identity(tokens, Scheme.Name));
        var properties = new AuthenticationProperties { ExpiresUtc = tokens.ExpiresAt, IssuedUtc = tokens.Id.IssuedAt };
        return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, Scheme.Name));
    }

    private async Task<AuthTokens?> RefreshAsync(CognitoAuth auth, string refreshToken)
    {
        var idp = CognitoUris.BackChannel(Request, Options);
        var clientId = auth.Options.ClientId;
        var options = Options;
        var response = await refresher.RefreshAsync(
            refreshToken,
            () => tokenClient.RefreshAsync(idp, options, refreshToken, CancellationToken.None)).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            Logger.RefreshFailed(response.Error ?? "no tokens");
            if (response.Error is "invalid_grant")
            {
                // Revoked or expired refresh token: the session is over; stop sending it.
                AmplifyCookieWriter.Clear(Context, Options, clientId);
            }

            return null;
        }

        var verified = auth.FromTokens(response.IdToken, response.AccessToken);
        if (verified.Case is AuthError refused)
        {
            Logger.RefreshFailed($"refreshed tokens refused: {refused.Code}");
            return null;
        }

        var tokens = (AuthTokens)verified.Case! with { RefreshToken = response.RefreshToken ?? refreshToken };
        AmplifyCookieWriter.Write(Context, Options, clientId, tokens, tokens.RefreshToken);
        Logger.SessionRefreshed(tokens.Username);
        return tokens;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsApiRequest(Request, Options))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{Scheme.Name} realm=\"{Options.Auth!.Options.UserPools[0].Issuer}\"");
            Response.ContentType = "application/json";
            await Response.WriteAsync("{\"error\":\"not signed in\"}").ConfigureAwait(false);
            return;
        }

        var returnUrl = CognitoUris.LocalOrRoot(properties.RedirectUri ?? $"{Request.PathBase}{Request.Path}{Request.QueryString}");
        Response.Redirect($"{Request.PathBase}{Options.BasePath}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsApiRequest(Request, Options))
        {
            Response.ContentType = "application/json";
            await Response.WriteAsync("{\"error\":\"forbidden\"}").ConfigureAwait(false);
        }
    }

    /// <summary>APIs get 401, pages a redirect: configured API paths, JSON-only Accept headers, or XHR.</summary>
    internal static bool IsApiRequest(HttpRequest request, CognitoCookiesOptions options)
    {
        if (options.ApiPaths.Any(p => request.Path.StartsWithSegments(p)))
        {
            return true;
        }

        var accept = request.Headers.Accept.ToString();
        return (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
               || request.Headers.XRequestedWith == "XMLHttpRequest";
    }
}

/// <summary>SPEC §5's claims: sub → name identifier, username → name, groups → roles, scopes, email, custom attributes.</summary>
internal static class CognitoClaims
{
    internal static ClaimsIdentity Identity(AuthTokens tokens, string scheme)
    {
        var issuer = tokens.Id.Issuer;
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        void Add(string type, string value) => identity.AddClaim(new Claim(type, value, ClaimValueTypes.String, issuer));
        Add(ClaimTypes.NameIdentifier, tokens.Sub);
        Add(ClaimTypes.Name, tokens.Username);
        Add("sub", tokens.Sub);
        Add("cognito:username", tokens.Username);
        foreach (var group in tokens.Groups)
        {
            Add(ClaimTypes.Role, group);
            Add("cognito:groups", group);
        }

        foreach (var scope in tokens.Access.Scopes)
        {
            Add("scope", scope);
        }

        if (tokens.Id.Email is { } email)
        {
            Add(ClaimTypes.Email, email);
            Add("email", email);
        }

        if (tokens.Id.EmailVerified is { } verified)
        {
            identity.AddClaim(new Claim("email_verified", verified ? "true" : "false", ClaimValueTypes.Boolean, issuer));
        }

        foreach (var claim in tokens.Id.Payload.EnumerateObject().Where(c => c.Name.StartsWith("custom:", StringComparison.Ordinal)))
        {
            Add(claim.Name, claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText());
        }

        return identity;
    }
}
