using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// The <c>/auth/token</c> page of browser-Amplify mode (the original package's <c>/token</c> page):
/// Amplify in the browser reads the tokens from the URL fragment and writes the cookies; the page's
/// script (<c>Assets/token-page.js</c>, inlined) waits until the server sees the session, tells the other tabs,
/// then navigates on.
/// </summary>
internal static class TokenPage
{
    internal static Task Write(HttpContext context, CognitoCookiesOptions options)
    {
        // The return URL goes into the script as a JSON string: local only, and JsonSerializer escapes
        // '<' and '>', so it cannot close the script element.
        var script = Assets.Fill(
            "token-page.js",
            ("returnUrl", JsonSerializer.Serialize(CognitoUris.LocalOrRoot(context.Request.Query["returnUrl"]), AdapterJson.Default.String)),
            ("syncKey", CognitoCookiesDefaults.SyncStorageKey));
        var amplify = options.TokenPageScript is { Length: > 0 } src ? $"<script src=\"{HtmlEncoder.Default.Encode(src)}\"></script>" : "";
        var page = Assets.Fill("token-page.html", ("amplify", amplify), ("script", script));
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        SameOrigin.NotFramed(context.Response);
        return context.Response.WriteAsync(page);
    }
}
