using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// A refresh refused with <c>invalid_grant</c> while another instance may have just won the race
/// (refresh-token rotation: the winner's answer replaced the refresh token this request still carries,
/// and its new cookies may be on their way to the browser). The first refusal does not clear the
/// cookies — a clearing response arriving after the winner's would sign the user out — but marks the
/// browser (a short-lived cookie holding a hash of the refused token, never the token) and sends a page
/// navigation back to the same address, so the browser asks again with the cookies it has by then. A
/// request that comes back still carrying the marked token has no winner's cookies to send: the
/// session is over, and its cookies are cleared.
/// </summary>
internal static class RefreshRace
{
    internal const string MarkerCookie = ".Cognito.Refresh";
    private static readonly TimeSpan MarkerLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Whether this request already came back once with <paramref name="refreshToken"/> refused.</summary>
    /// <remarks>
    /// Every occurrence of the marker's name counts, read by the core's cookie reader (ASP.NET's cookie
    /// collection keeps only the last one): a marker tossed in before or after the real one by another
    /// site or path must not hide it, or the browser would be sent round again and again. A match means
    /// "this browser was sent round for this refresh token", which no one can forge without the token.
    /// </remarks>
    internal static bool SeenBefore(HttpContext context, string refreshToken)
    {
        var header = CognitoRequest.CookieHeader(context.Request);
        var expected = Encoding.ASCII.GetBytes(Marker(refreshToken));
        return Cognito.CookieHeader.Values(header, MarkerCookie)
            .Any(value => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), expected));
    }

    /// <summary>Marks the browser and asks for the retry of a page navigation (done by <see cref="TryRetry"/>).</summary>
    internal static void Mark(HttpContext context, string refreshToken)
    {
        SetCookie.Append(context, Cookie(context, Marker(refreshToken), MarkerLifetime));
        context.Features.Set(Retry.Asked);
    }

    /// <summary>Removes the marker, when the session ended or the browser came back with newer cookies.</summary>
    internal static void Unmark(HttpContext context)
    {
        if (context.Request.Cookies.ContainsKey(MarkerCookie))
        {
            SetCookie.Append(context, Cookie(context, "", TimeSpan.Zero));
        }
    }

    /// <summary>
    /// After authentication: a page navigation (GET or HEAD, not an API request) whose refresh lost a
    /// race goes back to its own address once. Other requests carry on anonymous, their cookies kept.
    /// </summary>
    internal static bool TryRetry(HttpContext context, CognitoCookiesOptions options)
    {
        // A feature, not HttpContext.Items: reading Items creates its dictionary on every request.
        if (context.Features.Get<Retry>() is null
            || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            || CognitoRequest.IsApiRequest(context.Request, options))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        // The request's own address, by the return URLs' rule: a path such as '//evil.example/x' or '/\host'
        // is a network-path reference that browsers follow to another host, so it goes home instead.
        context.Response.Headers.Location = CognitoUris.LocalOrRoot($"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}");
        context.Response.Headers.CacheControl = "no-store";
        return true;
    }

    /// <summary>The marker: 16 bytes of the SHA-256 of the refresh token, base64url.</summary>
    private static string Marker(string refreshToken) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Cookie(HttpContext context, string value, TimeSpan maxAge) =>
        SetCookie.Header(MarkerCookie, value, SetCookie.Own(context, context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/"), expires: null, maxAge);

    /// <summary>The request feature that asks the endpoints middleware for the retry.</summary>
    private sealed class Retry
    {
        internal static readonly Retry Asked = new();
    }
}
