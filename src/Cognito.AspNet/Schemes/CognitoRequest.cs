using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// What the schemes and the endpoints read from a request, in one place: its Cookie header, whether it is
/// answered as an API, and the session whose refresh token may be used (to refresh it or revoke it).
/// </summary>
internal static class CognitoRequest
{
    /// <summary>
    /// A session whose refresh token may be sent to Cognito (to refresh it, or to revoke it): it verifies,
    /// or verifies in full except for having expired less than <see cref="CognitoCookiesOptions.CookieLifetime"/>
    /// ago (its cookies would be gone by then), and it has a refresh token. Anything else costs no call.
    /// </summary>
    internal static AuthTokens? RefreshableSession(CookieSession read, CognitoCookiesOptions options) =>
        (read.Result.TryGetRight(out var valid, out _) ? valid : read.Expired) is { RefreshToken: not null } session
        && options.TimeProvider!.GetUtcNow() - session.ExpiresAt <= options.CookieLifetime
            ? session
            : null;

    /// <summary>HTTP/2 and HTTP/3 may split cookies over several headers; RFC 6265 §5.4 joins them with "; ".</summary>
    internal static string? CookieHeader(HttpRequest request)
    {
        var values = request.Headers.Cookie;
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join("; ", values.ToArray()),
        };
    }

    /// <summary>APIs get 401, pages a redirect: configured API paths, JSON-only Accept headers, or XHR.</summary>
    internal static bool IsApiRequest(HttpRequest request, CognitoCookiesOptions options)
    {
        if (options.ApiPaths.Any(p => request.Path.StartsWithSegments(p)))
        {
            return true;
        }

        var accept = request.Headers.Accept.ToString();
        return (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
               || request.Headers.XRequestedWith == "XMLHttpRequest";
    }
}
