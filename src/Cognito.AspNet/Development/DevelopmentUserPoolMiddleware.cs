using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.AspNet.Development;

/// <summary>
/// Serves the <see cref="DevelopmentUserPool"/>'s endpoints under <see cref="DevelopmentUserPool.PathBase"/>,
/// checking what Cognito checks: the app client, registered redirect URIs, PKCE (S256 only), single-use
/// codes, client authentication with a secret.
/// </summary>
internal sealed class DevelopmentUserPoolMiddleware(RequestDelegate next, DevelopmentUserPool pool)
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
            ("GET", "/logout") => Logout(context),
            ("GET", "/.well-known/jwks.json") or ("GET", "/" + DevelopmentUserPool.UserPoolId + "/.well-known/jwks.json") => Json(context, 200, pool.JwksDocument()),
            _ => Text(context, 404, "not found"),
        };
    }

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

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
        return string.Equals(parsed.GetLeftPart(UriPartial.Authority), Origin(context), StringComparison.OrdinalIgnoreCase)
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
        SameOrigin.NotFramed(context.Response);
        return context.Response.WriteAsync(html);
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private async Task AuthorizeSubmit(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
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

    private bool ClientAuthenticated(HttpContext context, IFormCollection form)
    {
        if (pool.ClientSecret is null)
        {
            return form["client_id"] == DevelopmentUserPool.ClientId;
        }

        return BasicCredentials(context, DevelopmentUserPool.ClientId, pool.ClientSecret);
    }

    /// <summary>RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded client id and secret, compared in constant time.</summary>
    private static bool BasicCredentials(HttpContext context, string clientId, string secret)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header[6..]), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>
    /// The client-credentials grant of the machine client: HTTP Basic with its id and secret, scopes
    /// among its custom scopes (all of them when none is asked), an access token alone.
    /// </summary>
    private Task ClientCredentials(HttpContext context, IFormCollection form)
    {
        if (!BasicCredentials(context, DevelopmentUserPool.MachineClientId, pool.MachineClientSecret))
        {
            return Error(context, "invalid_client");
        }

        var asked = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (asked.Any(scope => !pool.MachineScopes.Contains(scope, StringComparer.Ordinal)))
        {
            return Error(context, "invalid_scope");
        }

        var access = pool.MintMachine(string.Join(' ', asked.Length > 0 ? asked : pool.MachineScopes));
        return Json(context, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["access_token"] = access,
            ["expires_in"] = (int)pool.TokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        }));
    }

    private async Task Token(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await Error(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        var grantType = form["grant_type"].ToString();
        pool.CountToken(grantType == "refresh_token");
        if (pool.TokenLatency > TimeSpan.Zero)
        {
            await Task.Delay(pool.TokenLatency, context.RequestAborted).ConfigureAwait(false);
        }

        if (pool.TokenFailureRate > 0 && Random.Shared.NextDouble() < pool.TokenFailureRate)
        {
            await Text(context, 500, "injected failure").ConfigureAwait(false);
            return;
        }

        if (grantType == "client_credentials")
        {
            await ClientCredentials(context, form).ConfigureAwait(false);
            return;
        }

        if (!ClientAuthenticated(context, form))
        {
            await Error(context, "invalid_client").ConfigureAwait(false);
            return;
        }

        if (grantType == "authorization_code")
        {
            var code = pool.TakeCode(form["code"].ToString());
            if (code is null || code.RedirectUri != form["redirect_uri"] || !PkceHolds(code.CodeChallenge, form["code_verifier"].ToString()))
            {
                await Error(context, "invalid_grant").ConfigureAwait(false);
                return;
            }

            var (id, access) = pool.Mint(code.Grant);
            await Tokens(context, id, access, pool.IssueRefreshToken(code.Grant)).ConfigureAwait(false);
        }
        else if (grantType == "refresh_token")
        {
            if (pool.FindRefreshToken(form["refresh_token"].ToString()) is not { } grant)
            {
                await Error(context, "invalid_grant").ConfigureAwait(false);
                return;
            }

            var (id, access) = pool.Mint(grant);
            await Tokens(context, id, access, refreshToken: null).ConfigureAwait(false);
        }
        else
        {
            await Error(context, "unsupported_grant_type").ConfigureAwait(false);
        }
    }

    /// <summary>RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge; a challenge needs a verifier.</summary>
    private static bool PkceHolds(string? challenge, string verifier)
    {
        if (string.IsNullOrEmpty(challenge))
        {
            return true;
        }

        if (verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var computed = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private Task Tokens(HttpContext context, string id, string access, string? refreshToken)
    {
        var body = new Dictionary<string, object>
        {
            ["id_token"] = id,
            ["access_token"] = access,
            ["expires_in"] = (int)pool.TokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        return Json(context, 200, JsonSerializer.Serialize(body));
    }

    private async Task Revoke(HttpContext context)
    {
        pool.CountRevoke();
        var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
        if (!ClientAuthenticated(context, form))
        {
            await Error(context, "invalid_client").ConfigureAwait(false);
            return;
        }

        pool.Revoke(form["token"].ToString());
        context.Response.StatusCode = 200;
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

    private static Task Error(HttpContext context, string error) =>
        Json(context, 400, JsonSerializer.Serialize(new { error }));

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
