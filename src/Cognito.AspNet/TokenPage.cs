using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The <c>/auth/token</c> page of browser-Amplify mode.</summary>
internal static class TokenPage
{
    /// <summary>
    /// Browser-Amplify mode (the seed's <c>/token</c> page): Amplify in the browser reads the tokens from
    /// the URL fragment and writes the cookies; this page waits until the server sees the session,
    /// tells the other tabs, then navigates on.
    /// </summary>
    internal static Task Write(HttpContext context, CognitoCookiesOptions options)
    {
        var returnUrl = JsonSerializer.Serialize(CognitoUris.LocalOrRoot(context.Request.Query["returnUrl"]));
        var amplify = options.TokenPageScript is { Length: > 0 } src ? $"<script src=\"{HtmlEncoder.Default.Encode(src)}\"></script>" : "";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Signing in…</title>{{amplify}}</head>
            <body><p id="status">Signing in…</p>
            <script>
            (() => {
              const started = Date.now();
              const poll = () => fetch("session", { credentials: "same-origin", cache: "no-store" })
                .then(r => r.json())
                .then(s => {
                  if (s.signedIn) {
                    try { localStorage.setItem("{{CognitoCookiesDefaults.SyncStorageKey}}", "in:" + s.sub); } catch (_) {}
                    location.replace({{returnUrl}});
                  } else if (Date.now() - started < 15000) {
                    setTimeout(poll, 250);
                  } else {
                    document.getElementById("status").textContent = "Sign-in did not complete. Please try again.";
                  }
                });
              poll();
            })();
            </script></body></html>
            """;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        SameOrigin.NotFramed(context.Response);
        return context.Response.WriteAsync(html);
    }
}
