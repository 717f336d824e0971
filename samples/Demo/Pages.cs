using System.Text.Encodings.Web;
using Cognito;
using Cognito.AspNet;

namespace Cognito.Demo;

/// <summary>The demo's pages, server-rendered from the session so there is no flash of the wrong state.</summary>
internal static class Pages
{
    internal static IResult Html(AuthTokens? session, string title, string body) => Results.Content($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{Encode(title)}} — Cognito demo</title>
        <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;overflow-wrap:anywhere}nav a{margin-right:1rem}form{display:inline}</style>
        <script src="/auth/sync.js" defer></script></head>
        <body>
        <nav><a href="/">Home</a><a href="/admin">Admin</a><a href="/api/me">API</a>
        {{(session is null
            ? "<a id=\"signin\" href=\"/auth/login?returnUrl=/\">Sign in</a>"
            : "<form method=\"post\" action=\"/auth/logout\"><button id=\"signout\" type=\"submit\">Sign out</button></form>")}}
        </nav>
        {{body}}
        </body></html>
        """, "text/html; charset=utf-8");

    internal static IResult Home(HttpContext context)
    {
        var session = context.GetCognitoTokens();
        var welcome = $"<h1 id=\"welcome\">Welcome {Encode(session?.Username ?? "anonymous")}</h1>";
        var details = session is null
            ? "<p>Sign in to see your session.</p>"
            : $"<p id=\"groups\">Groups: {(session.Groups.Count == 0 ? "none" : Encode(string.Join(", ", session.Groups)))}</p>{Horizon(session)}";
        return Html(session, "Home", welcome + details);
    }

    /// <summary>
    /// How long this session lasts: the tokens for an hour, renewed on the server with the refresh token
    /// until that expires — Cognito's refresh tokens live for the app client's refresh token validity
    /// (30 days by default) from the sign-in.
    /// </summary>
    private static string Horizon(AuthTokens session)
    {
        var tokens = $"Tokens valid until {session.ExpiresAt:u}";
        if (session.RefreshToken is null)
        {
            return $"<p id=\"horizon\">{tokens}; no refresh token, so the session ends then.</p>";
        }

        var signedIn = session.Id.AuthTime ?? session.Id.IssuedAt;
        return $"<p id=\"horizon\">Signed in {signedIn:u}. {tokens}, then renewed on the server with the refresh token until it expires (the app client's refresh token validity, 30 days by default: about {signedIn.AddDays(30):u}).</p>";
    }

    /// <summary>A signed-in page whose path may hold any character (<c>/users/José</c>): the sign-in comes back to it.</summary>
    internal static IResult Profile(HttpContext context, string name) =>
        Html(context.GetCognitoTokens(), name, $"<h1 id=\"profile\">Page of {Encode(name)}</h1><p>Seen by {Encode(context.User.Identity!.Name!)}.</p>");

    internal static IResult Admin(HttpContext context) =>
        Html(context.GetCognitoTokens(), "Admin", $"<h1 id=\"admin\">Admin area</h1><p>Only the admin group sees this, {Encode(context.User.Identity!.Name!)}.</p>");

    internal static IResult Forbidden(HttpContext context) =>
        Html(context.GetCognitoTokens(), "Forbidden", "<h1 id=\"forbidden\">Forbidden</h1><p>This page is for the admin group.</p>");

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
