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

    internal static void Write(HttpContext context, CognitoCookiesOptions options, string clientId, AuthTokens tokens, string? refreshToken)
    {
        var prefix = AmplifyCookieNames.Prefix(clientId);
        var key = AmplifyCookieNames.EncodeUsername(tokens.Username);
        var expires = options.TimeProvider!.GetUtcNow() + options.CookieLifetime;
        Append(context, options, $"{prefix}.LastAuthUser", AmplifyCookieNames.EncodeValue(tokens.Username), expires);
        Append(context, options, $"{prefix}.{key}.idToken", tokens.IdToken, expires);
        Append(context, options, $"{prefix}.{key}.accessToken", tokens.AccessToken, expires);
        if (refreshToken is not null)
        {
            Append(context, options, $"{prefix}.{key}.refreshToken", refreshToken, expires);
        }

        Append(context, options, $"{prefix}.{key}.clockDrift", "0", expires);
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

    private static void Append(HttpContext context, CognitoCookiesOptions options, string name, string value, DateTimeOffset expires, bool expire = false)
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
        context.Response.Headers.Append(HeaderNames.SetCookie, string.Concat(name, cookie.ToString().AsSpan(Placeholder.Length)));
    }
}
