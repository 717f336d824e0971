using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using HeaderSameSite = Microsoft.Net.Http.Headers.SameSiteMode;

namespace Cognito.AspNet;

/// <summary>
/// The one builder of the adapter's Set-Cookie headers: the session's Amplify cookies, the sign-in flow
/// cookie and the refresh marker. The attributes are formatted by <see cref="SetCookieHeaderValue"/>; the
/// name is put in front after, because its token rule refuses parentheses, which Amplify's Next.js
/// adapter leaves in names. Names and values are ASCII (encoded), so a header's length is its size in bytes.
/// </summary>
internal static class SetCookie
{
    private const string Placeholder = "n";

    /// <summary>A cookie of the adapter's own (the sign-in flow, the refresh marker): HttpOnly, Lax, Secure on https.</summary>
    internal static Attributes Own(HttpContext context, string path) =>
        new(path, Domain: null, context.Request.IsHttps, HeaderSameSite.Lax, HttpOnly: true);

    /// <summary>The Set-Cookie header; <paramref name="expires"/> and <paramref name="maxAge"/> are left out when null.</summary>
    internal static string Header(string name, string value, Attributes attributes, DateTimeOffset? expires, TimeSpan? maxAge)
    {
        var cookie = new SetCookieHeaderValue(Placeholder, value)
        {
            Path = attributes.Path,
            Domain = attributes.Domain,
            Expires = expires,
            MaxAge = maxAge,
            Secure = attributes.Secure,
            SameSite = attributes.SameSite,
            HttpOnly = attributes.HttpOnly,
        };
        return string.Concat(name, cookie.ToString().AsSpan(Placeholder.Length));
    }

    /// <summary>Appends the header to the response.</summary>
    internal static void Append(HttpContext context, string header) =>
        context.Response.Headers.Append(HeaderNames.SetCookie, header);

    /// <summary>What a cookie carries besides its name, value and lifetime.</summary>
    internal readonly record struct Attributes(string Path, string? Domain, bool Secure, HeaderSameSite SameSite, bool HttpOnly);
}
