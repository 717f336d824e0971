using Microsoft.AspNetCore.Http;
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

    /// <summary>
    /// What a browser keeps of one cookie (name, value and attributes): 4,096 bytes in every major
    /// browser; a larger cookie is dropped without a word, and the user looks signed out.
    /// </summary>
    internal const int BrowserCookieLimit = 4096;

    /// <summary>
    /// Writes the session's cookies; returns the largest Set-Cookie header over <see cref="BrowserCookieLimit"/>
    /// (the cookie's kind — <c>idToken</c>, … — never its name, which holds the username), or null.
    /// </summary>
    internal static (string Kind, int Bytes)? Write(HttpContext context, CognitoCookiesOptions options, string clientId, AuthTokens tokens, string? refreshToken) =>
        Write(context, Plan(context, options, clientId, tokens, refreshToken));

    /// <summary>Appends a planned session's Set-Cookie headers; returns its largest cookie over the browser's limit, or null.</summary>
    internal static (string Kind, int Bytes)? Write(HttpContext context, SessionCookies planned)
    {
        foreach (var header in planned.Headers)
        {
            SetCookie.Append(context, header);
        }

        return planned.Oversized;
    }

    /// <summary>
    /// The Set-Cookie headers of a session, not yet written, and what they will cost: the bytes they add
    /// to the Cookie header the browser sends back on every request.
    /// </summary>
    internal static SessionCookies Plan(HttpContext context, CognitoCookiesOptions options, string clientId, AuthTokens tokens, string? refreshToken)
    {
        var prefix = AmplifyCookieNames.Prefix(clientId);
        var key = AmplifyCookieNames.EncodeUsername(tokens.Username);
        var expires = options.TimeProvider!.GetUtcNow() + options.CookieLifetime;
        var headers = new List<string>(8);
        (string Kind, int Bytes)? largest = null;
        void Write(string kind, string name, string value)
        {
            var header = Build(context, options, name, value, expires);
            if (header.Length <= BrowserCookieLimit)
            {
                headers.Add(header);
            }
            else if (!options.HttpOnly || !AppendChunks(headers, context, options, name, value, expires, header.Length - name.Length - 1 - value.Length))
            {
                // Browser-Amplify mode: Amplify reads its cookies whole, so the cookie goes as it is, and the log says why it will be lost.
                headers.Add(header);
                if (header.Length > (largest?.Bytes ?? 0))
                {
                    largest = (kind, header.Length);
                }
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
        return new SessionCookies(headers, largest);
    }

    /// <summary>
    /// Expires every cookie of the app client's Amplify session the request sent (<see cref="CookieSession.CookieNames"/>),
    /// with the Domain and Path it was written with. Names are the core's reading of the header:
    /// ASP.NET's cookie collection drops names with parentheses (<c>…bob(admin).idToken</c>), which
    /// Amplify's Next.js adapter writes and the session reader accepts.
    /// </summary>
    internal static void Clear(HttpContext context, CognitoCookiesOptions options, CookieSession read)
    {
        foreach (var name in read.CookieNames.Distinct(StringComparer.Ordinal).Where(Printable))
        {
            Append(context, options, name, "", DateTimeOffset.UnixEpoch, expire: true);
        }
    }

    /// <summary>A name a Set-Cookie header can carry back: visible ASCII without the pair separators.</summary>
    private static bool Printable(string name) =>
        !name.AsSpan().ContainsAnyExceptInRange('!', '~') && name.AsSpan().IndexOfAny(";,=\"") < 0;

    /// <summary>
    /// A server-written (HttpOnly) token cookie too large for a browser, in ASP.NET Core's chunked-cookie
    /// format (<c>ChunkingCookieManager</c>'s): <c>{name}=chunks-N</c> and <c>{name}C1</c> … <c>{name}CN</c>,
    /// each Set-Cookie within <see cref="BrowserCookieLimit"/>; the core reassembles them. False when it
    /// would take more than the core reads (then the caller writes it whole and warns).
    /// </summary>
    private static bool AppendChunks(List<string> headers, HttpContext context, CognitoCookiesOptions options, string name, string value, DateTimeOffset expires, int attributes)
    {
        var chunk = BrowserCookieLimit - attributes - name.Length - 4; // "C16" and "="
        var count = (value.Length + chunk - 1) / chunk;
        if (count > AmplifyCookieNames.MaxChunks)
        {
            return false;
        }

        headers.Add(Build(context, options, name, $"chunks-{count}", expires));
        for (var i = 0; i < count; i++)
        {
            headers.Add(Build(context, options, $"{name}C{i + 1}", value.Substring(i * chunk, Math.Min(chunk, value.Length - (i * chunk))), expires));
        }

        return true;
    }

    private static void Append(HttpContext context, CognitoCookiesOptions options, string name, string value, DateTimeOffset expires, bool expire = false) =>
        SetCookie.Append(context, Build(context, options, name, value, expires, expire));

    /// <summary>One Set-Cookie header of the session, with the site's cookie settings.</summary>
    private static string Build(HttpContext context, CognitoCookiesOptions options, string name, string value, DateTimeOffset expires, bool expire = false)
    {
        var attributes = new SetCookie.Attributes(
            options.CookiePath,
            options.CookieDomain,
            options.CookieSecure switch
            {
                CookieSecurePolicy.Always => true,
                CookieSecurePolicy.None => false,
                _ => context.Request.IsHttps,
            },
            options.CookieSameSite switch
            {
                SameSiteMode.Strict => HeaderSameSite.Strict,
                SameSiteMode.Lax => HeaderSameSite.Lax,
                SameSiteMode.None => HeaderSameSite.None,
                _ => HeaderSameSite.Unspecified,
            },
            options.HttpOnly);
        return SetCookie.Header(name, value, attributes, expires, expire ? TimeSpan.Zero : null);
    }
}
