using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.AspNet.Development;

/// <summary>
/// Serves the <see cref="DevelopmentUserPool"/>'s endpoints under <see cref="DevelopmentUserPool.PathBase"/>,
/// checking what Cognito checks: the app client, registered redirect URIs, PKCE (S256 only), single-use
/// codes, client authentication with a secret.
/// </summary>
internal sealed partial class DevelopmentUserPoolMiddleware(RequestDelegate next, DevelopmentUserPool pool)
{
    private static readonly HashSet<string> KnownScopes = ["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"];

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(DevelopmentUserPool.PathBase, out var rest))
        {
            return next(context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return (context.Request.Method, rest.Value) switch
        {
            ("GET", "/oauth2/authorize") => AuthorizeForm(context),
            ("POST", "/oauth2/authorize") => AuthorizeSubmit(context),
            ("POST", "/oauth2/token") => Token(context),
            ("POST", "/oauth2/revoke") => Revoke(context),
            ("POST", "" or "/") => Api(context),
            ("OPTIONS", "/oauth2/token" or "/oauth2/revoke" or "" or "/") => Preflight(context),
            ("GET", "/logout") => Logout(context),
            ("GET", "/.well-known/jwks.json") or ("GET", "/" + DevelopmentUserPool.UserPoolId + "/.well-known/jwks.json") => Json(context, 200, pool.JwksDocument()),
            _ => Text(context, 404, "not found"),
        };
    }

    private bool RedirectAllowed(HttpContext context, string? uri, params string[] suffixes)
    {
        if (string.IsNullOrEmpty(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !string.IsNullOrEmpty(parsed.Fragment))
        {
            return false;
        }

        if (pool.CallbackUrls.Count > 0)
        {
            return pool.CallbackUrls.Contains(uri, StringComparer.Ordinal);
        }

        // Cognito matches registered URLs exactly; with none registered, this stand-in accepts its own origin's endpoints.
        return string.Equals(parsed.GetLeftPart(UriPartial.Authority), $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase)
               && (suffixes.Length == 0 || suffixes.Any(s => parsed.AbsolutePath.EndsWith(s, StringComparison.Ordinal)));
    }

    private string? AuthorizeProblem(HttpContext context, Dictionary<string, string?> query)
    {
        if (query.GetValueOrDefault("client_id") != DevelopmentUserPool.ClientId)
        {
            return "invalid client_id";
        }

        if (!RedirectAllowed(context, query.GetValueOrDefault("redirect_uri"), "/callback", "/token"))
        {
            return "redirect_mismatch: redirect_uri is not a callback URL of this app client";
        }

        if (query.GetValueOrDefault("response_type") is not ("code" or "token"))
        {
            return "unsupported_response_type";
        }

        if (query.GetValueOrDefault("code_challenge") is { Length: > 0 } challenge
            && (query.GetValueOrDefault("code_challenge_method") != "S256" || challenge.Length != 43))
        {
            return "invalid_request: code_challenge_method must be S256 with a 43-character challenge";
        }

        var scopes = (query.GetValueOrDefault("scope") ?? "openid").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scopes.All(KnownScopes.Contains) ? null : "invalid_scope";
    }

    private Task AuthorizeForm(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        if (AuthorizeProblem(context, query) is { } problem)
        {
            return Text(context, 400, problem);
        }

        var hidden = new StringBuilder();
        foreach (var (name, value) in query)
        {
            hidden.Append(CultureInvariant($"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(name)}\" value=\"{HtmlEncoder.Default.Encode(value ?? "")}\">"));
        }

        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in — development user pool</title>
            <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}</style></head>
            <body>
            <h1>Sign in</h1>
            <p>Development user pool — not Cognito. Any username signs in; no password.</p>
            <form method="post" action="{{DevelopmentUserPool.PathBase}}/oauth2/authorize">
            {{hidden}}
            <label>Username <input name="username" id="username" autocomplete="username" required maxlength="128" autofocus></label>
            <label>Groups (comma-separated, optional) <input name="groups" id="groups" placeholder="admin, staff"></label>
            <button type="submit" id="signin">Sign in</button>
            </form>
            </body></html>
            """;
        context.Response.ContentType = "text/html; charset=utf-8";
        OAuthRules.NotFramed(context.Response);
        return context.Response.WriteAsync(html);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private async Task AuthorizeSubmit(HttpContext context)
    {
        if (await ReadForm(context).ConfigureAwait(false) is not { } form)
        {
            await Text(context, 400, "invalid_request: the sign-in form must be application/x-www-form-urlencoded with short fields").ConfigureAwait(false);
            return;
        }

        var fields = form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString());
        if (AuthorizeProblem(context, fields) is { } problem)
        {
            await Text(context, 400, problem).ConfigureAwait(false);
            return;
        }

        var username = fields.GetValueOrDefault("username")?.Trim() ?? "";
        if (username.Length is 0 or > 128 || username.Any(char.IsControl))
        {
            await Text(context, 400, "a username of 1 to 128 characters is required").ConfigureAwait(false);
            return;
        }

        var groups = (fields.GetValueOrDefault("groups") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var grant = new DevelopmentUserPool.Grant(username, groups, fields.GetValueOrDefault("scope") ?? "openid", pool.Clock.GetUtcNow().ToUnixTimeSeconds());
        var redirect = fields["redirect_uri"]!;
        var state = fields.GetValueOrDefault("state");
        if (fields["response_type"] == "token")
        {
            // Implicit flow (the seed's browser-Amplify mode): tokens in the fragment.
            var (id, access) = pool.Mint(grant);
            var fragment = $"id_token={id}&access_token={access}&expires_in={(int)pool.TokenLifetime.TotalSeconds}&token_type=Bearer" + (state is null ? "" : $"&state={Uri.EscapeDataString(state)}");
            context.Response.Redirect($"{redirect}#{fragment}");
            return;
        }

        var code = pool.IssueCode(new DevelopmentUserPool.AuthorizationCode(grant, DevelopmentUserPool.ClientId, redirect, fields.GetValueOrDefault("code_challenge"), pool.Clock.GetUtcNow() + pool.CodeLifetime));
        var query = new Dictionary<string, string?> { ["code"] = code };
        if (state is not null)
        {
            query["state"] = state;
        }

        context.Response.Redirect(QueryHelpers.AddQueryString(redirect, query));
    }

    private Task Logout(HttpContext context)
    {
        if (context.Request.Query["client_id"] != DevelopmentUserPool.ClientId)
        {
            return Text(context, 400, "invalid client_id");
        }

        var logoutUri = context.Request.Query["logout_uri"].ToString();
        if (!RedirectAllowed(context, logoutUri))
        {
            return Text(context, 400, "logout_uri is not a sign-out URL of this app client");
        }

        context.Response.Redirect(logoutUri);
        return Task.CompletedTask;
    }

    /// <summary>Longest form this stand-in reads (Cognito's OAuth endpoints take a few short fields).</summary>
    private const int MaxFormValueBytes = 64 * 1024;

    /// <summary>
    /// The form of an OAuth endpoint, as Cognito takes it: <c>application/x-www-form-urlencoded</c> only,
    /// short values; null for anything else (JSON, text, multipart with or without a boundary, no content
    /// type, a value over the limit, a body that breaks off), which the caller answers as Cognito does,
    /// never with an exception.
    /// </summary>
    private static async Task<IFormCollection?> ReadForm(HttpContext context)
    {
        if (!context.Request.HasFormContentType
            || !context.Request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var form = new Microsoft.AspNetCore.Http.Features.FormFeature(context.Request, new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxFormValueBytes, KeyLengthLimit = 1024, ValueCountLimit = 64 });
            return await form.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static Task Error(HttpContext context, string error) =>
        Json(context, 400, new JsonObject { ["error"] = error }.ToJsonString());

    private static Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(json);
    }

    private static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(WebUtility.HtmlEncode(text));
    }
}
