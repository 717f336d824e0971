using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using HeaderSameSite = Microsoft.Net.Http.Headers.SameSiteMode;
using SameSiteMode = Microsoft.AspNetCore.Http.SameSiteMode;

namespace Cognito.AspNet;

/// <summary>
/// Writes and expires the Amplify cookies exactly as Amplify names them (LastAuthUser under js-cookie's
/// value rule, per-user cookies under its name rule), with the configured Domain, Path, Secure,
/// SameSite and HttpOnly. Set-Cookie headers are built here because ASP.NET's cookie API would
/// percent-encode the values in its own way.
/// </summary>
internal static class AmplifyCookieWriter
{
    private const string Placeholder = "n";

    /// <summary>
    /// What a browser keeps of one cookie (name, value and attributes): 4,096 bytes in every major
    /// browser; a larger cookie is dropped without a word, and the user looks signed out.
    /// </summary>
    internal const int BrowserCookieLimit = 4096;

    /// <summary>
    /// Writes the session's cookies; returns the largest Set-Cookie header over <see cref="BrowserCookieLimit"/>
    /// (the cookie's kind — <c>idToken</c>, … — never its name, which holds the username), or null.
    /// </summary>
    internal static (string Kind, int Bytes)? Write(HttpContext context, CognitoCookiesOptions options, string clientId, AuthTokens tokens, string? refreshToken)
    {
        var prefix = AmplifyCookieNames.Prefix(clientId);
        var key = AmplifyCookieNames.EncodeUsername(tokens.Username);
        var expires = options.TimeProvider!.GetUtcNow() + options.CookieLifetime;
        (string Kind, int Bytes)? largest = null;
        void Write(string kind, string name, string value)
        {
            var bytes = Append(context, options, name, value, expires);
            if (bytes > BrowserCookieLimit && bytes > (largest?.Bytes ?? 0))
            {
                largest = (kind, bytes);
            }
        }

        Write("LastAuthUser", $"{prefix}.LastAuthUser", AmplifyCookieNames.EncodeValue(tokens.Username));
        Write("idToken", $"{prefix}.{key}.idToken", tokens.IdToken);
        Write("accessToken", $"{prefix}.{key}.accessToken", tokens.AccessToken);
        if (refreshToken is not null)
        {
            Write("refreshToken", $"{prefix}.{key}.refreshToken", refreshToken);
        }

        Write("clockDrift", $"{prefix}.{key}.clockDrift", "0");
        return largest;
    }

    /// <summary>
    /// Expires every cookie of the app client's Amplify session in <paramref name="header"/>, with the
    /// Domain and Path it was written with. Names are read with the library's own cookie reader:
    /// ASP.NET's cookie collection drops names with parentheses (<c>…bob(admin).idToken</c>), which
    /// Amplify's Next.js adapter writes and the session reader accepts.
    /// </summary>
    internal static void Clear(HttpContext context, CognitoCookiesOptions options, CognitoAuth auth, string? header)
    {
        foreach (var name in auth.AmplifyCookieNamesIn(header).Distinct(StringComparer.Ordinal).Where(Printable))
        {
            Append(context, options, name, "", DateTimeOffset.UnixEpoch, expire: true);
        }
    }

    /// <summary>A name a Set-Cookie header can carry back: visible ASCII without the pair separators.</summary>
    private static bool Printable(string name) =>
        !name.AsSpan().ContainsAnyExceptInRange('!', '~') && name.AsSpan().IndexOfAny(";,=\"") < 0;

    /// <summary>Appends one Set-Cookie header; returns its length in bytes (ASCII: names and values are encoded).</summary>
    private static int Append(HttpContext context, CognitoCookiesOptions options, string name, string value, DateTimeOffset expires, bool expire = false)
    {
        // The attributes are formatted by SetCookieHeaderValue; the name is set after, because its token
        // rule refuses parentheses, which Amplify's Next.js adapter leaves in names.
        var cookie = new SetCookieHeaderValue(Placeholder, value)
        {
            Path = options.CookiePath,
            Domain = options.CookieDomain,
            Expires = expires,
            MaxAge = expire ? TimeSpan.Zero : null,
            Secure = options.CookieSecure switch
            {
                CookieSecurePolicy.Always => true,
                CookieSecurePolicy.None => false,
                _ => context.Request.IsHttps,
            },
            SameSite = options.CookieSameSite switch
            {
                SameSiteMode.Strict => HeaderSameSite.Strict,
                SameSiteMode.Lax => HeaderSameSite.Lax,
                SameSiteMode.None => HeaderSameSite.None,
                _ => HeaderSameSite.Unspecified,
            },
            HttpOnly = options.HttpOnly,
        };
        var header = string.Concat(name, cookie.ToString().AsSpan(Placeholder.Length));
        context.Response.Headers.Append(HeaderNames.SetCookie, header);
        return header.Length;
    }
}
