using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cognito.AspNet;

/// <summary>
/// The endpoints of docs/spec.md, "Flows", under <see cref="CognitoCookiesOptions.BasePath"/>: <c>login</c> (authorization
/// code + PKCE + state), <c>callback</c>, <c>logout</c> (POST), <c>session</c> (JSON), <c>sync.js</c> and
/// <c>token</c> (browser-Amplify mode).
/// </summary>
internal sealed class CognitoEndpointsMiddleware(
    RequestDelegate next,
    IOptionsMonitor<CognitoCookiesOptions> optionsMonitor,
    IDataProtectionProvider dataProtection,
    CognitoTokenClient tokenClient,
    ILogger<CognitoEndpointsMiddleware> logger,
    string scheme)
{
    private const string FlowCookie = ".Cognito.SignIn";
    private static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> SyncScript = new(() =>
    {
        using var stream = typeof(CognitoEndpointsMiddleware).Assembly.GetManifestResourceStream("sync.js")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Cognito.AspNet.SignIn.v1");

    public Task InvokeAsync(HttpContext context)
    {
        var options = optionsMonitor.Get(scheme);
        if (!context.Request.Path.StartsWithSegments(options.BasePath, out var rest))
        {
            return next(context);
        }

        return (context.Request.Method, rest.Value) switch
        {
            ("GET", "/login") => Login(context, options),
            ("GET", "/callback") => Callback(context, options),
            ("POST", "/logout") => Logout(context, options),
            ("GET", "/logout") => MethodNotAllowed(context, "POST"),
            ("GET", "/session") => Session(context),
            ("GET", "/sync.js") => Script(context),
            ("GET", "/token") when options.BrowserAmplify => TokenPage.Write(context, options),
            _ => next(context),
        };
    }

    private Task Login(HttpContext context, CognitoCookiesOptions options)
    {
        var state = Pkce.NewSecret();
        var verifier = Pkce.NewSecret();
        var challenge = Pkce.Challenge(verifier);
        var redirectUri = CognitoUris.Callback(context.Request, options);
        var flow = new SignInFlow(state, verifier, CognitoUris.LocalOrRoot(context.Request.Query["returnUrl"]), redirectUri, options.TimeProvider!.GetUtcNow() + FlowLifetime);
        context.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(FlowCookie, _protector.Protect(JsonSerializer.Serialize(flow)))
        {
            Path = $"{context.Request.PathBase}{options.BasePath}",
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            MaxAge = FlowLifetime,
        }.ToString());

        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = options.Auth!.Options.ClientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = string.Join(' ', options.Scopes),
            ["state"] = state,
            ["code_challenge"] = challenge,
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

    private async Task Callback(HttpContext context, CognitoCookiesOptions options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var flow = ReadFlow(context, options);
        var stateMatches = flow is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(context.Request.Query["state"].ToString()), Encoding.UTF8.GetBytes(flow.State));

        // Only an answer to this browser's own sign-in ends it: a stray or forged callback leaves the flow
        // cookie, so the real answer that follows still completes.
        if (stateMatches)
        {
            ExpireFlowCookie(context, options);
        }

        if (context.Request.Query["error"] is { Count: > 0 } error)
        {
            await Fail(context, options, 400, $"the user pool refused the sign-in: {OAuthCode(error.ToString())}").ConfigureAwait(false);
            return;
        }

        if (flow is null)
        {
            await Fail(context, options, 400, "no sign-in in progress, or it took over 5 minutes: start again").ConfigureAwait(false);
            return;
        }

        if (!stateMatches)
        {
            await Fail(context, options, 400, "state mismatch: this sign-in was not started here").ConfigureAwait(false);
            return;
        }

        // One callback per flow: a replayed flow cookie costs no call to Cognito.
        switch (options.SpentStates!.TrySpend(flow.State, flow.ExpiresAt, options.TimeProvider!.GetUtcNow()))
        {
            case SpentStates.Outcome.Replayed:
                await Fail(context, options, 400, "this sign-in was already used: start again").ConfigureAwait(false);
                return;
            case SpentStates.Outcome.Full:
                await Fail(context, options, 503, "too many sign-ins in progress: try again in a few minutes").ConfigureAwait(false);
                return;
        }

        var code = context.Request.Query["code"].ToString();
        if (code.Length == 0)
        {
            await Fail(context, options, 400, "no authorization code").ConfigureAwait(false);
            return;
        }

        if (!options.RateLimiter!.TryAcquire(context))
        {
            logger.Throttled(options.Warnings!, "BackchannelRateLimited", static log => log.BackchannelRateLimited("code exchange"));
            await Fail(context, options, 429, "too many sign-ins from this address: wait a minute and start again").ConfigureAwait(false);
            return;
        }

        var auth = options.Auth!;
        var response = await tokenClient.ExchangeCodeAsync(CognitoUris.BackChannel(context.Request, options), options, code, flow.Verifier, flow.RedirectUri, context.RequestAborted).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            await Fail(context, options, response.Error is "unreachable" or "timeout" or "invalid_response" ? 502 : 400, $"the token endpoint refused the code: {response.Error}").ConfigureAwait(false);
            return;
        }

        var verified = await auth.FromTokensAsync(response.IdToken, response.AccessToken).ConfigureAwait(false);
        if (!verified.TryGetRight(out var tokens, out var refused))
        {
            await Fail(context, options, 400, $"the tokens from the user pool were refused: {refused.Code}").ConfigureAwait(false);
            return;
        }

        AmplifyCookieWriter.Write(context, options, auth.Options.ClientId, tokens, response.RefreshToken);
        logger.SignedIn(tokens.Sub);
        context.Response.Redirect(CognitoUris.LocalOrRoot(flow.ReturnUrl));
    }

    /// <summary>An OAuth error code from the query as it may be logged and shown: RFC 6749's characters, at most 64 of them.</summary>
    internal static string OAuthCode(string error) =>
        error.Length is > 0 and <= 64 && error.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? error
            : "(an error code that is not one)";

    private SignInFlow? ReadFlow(HttpContext context, CognitoCookiesOptions options)
    {
        if (context.Request.Cookies[FlowCookie] is not { Length: > 0 } protectedFlow)
        {
            return null;
        }

        try
        {
            var flow = JsonSerializer.Deserialize<SignInFlow>(_protector.Unprotect(protectedFlow));
            return flow is not null && flow.ExpiresAt > options.TimeProvider!.GetUtcNow() ? flow : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static void ExpireFlowCookie(HttpContext context, CognitoCookiesOptions options) =>
        context.Response.Headers.Append(HeaderNames.SetCookie, new SetCookieHeaderValue(FlowCookie, "")
        {
            Path = $"{context.Request.PathBase}{options.BasePath}",
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Expires = DateTimeOffset.UnixEpoch,
            MaxAge = TimeSpan.Zero,
        }.ToString());

    private async Task Logout(HttpContext context, CognitoCookiesOptions options)
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

    private static Task Session(HttpContext context)
    {
        var tokens = context.GetCognitoTokens();
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.ContentType = "application/json";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteBoolean("signedIn", tokens is not null);
            tokens?.WriteSummary(json);

            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }

    private static Task Script(HttpContext context)
    {
        context.Response.ContentType = "text/javascript; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync(SyncScript.Value);
    }

    private async Task Fail(HttpContext context, CognitoCookiesOptions options, int status, string reason)
    {
        logger.Throttled(options.Warnings!, "SignInFailed", log => log.SignInFailed(reason));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"<!doctype html><title>Sign-in failed</title><p>Sign-in failed: {HtmlEncoder.Default.Encode(reason)}.</p><p><a href=\"{HtmlEncoder.Default.Encode(context.Request.PathBase + "/")}\">Back</a></p>").ConfigureAwait(false);
    }

    private static Task MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allow;
        return Task.CompletedTask;
    }

    private sealed record SignInFlow(string State, string Verifier, string ReturnUrl, string RedirectUri, DateTimeOffset ExpiresAt);
}
