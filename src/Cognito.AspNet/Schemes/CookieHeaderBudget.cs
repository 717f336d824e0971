using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Whether a session's cookies leave the requests that carry them within what the server accepts.
/// Kestrel answers 431 to a request whose headers pass <c>MaxRequestHeadersTotalSize</c> (32 KiB by
/// default) before any middleware runs: a session whose cookies pass it would lock its user out of
/// every page, sign-out included, for as long as the cookies live. So cookies are written only when
/// the Cookie header they make (with the site's other cookies) leaves <see cref="OtherHeaders"/> for
/// the rest of a request's headers (User-Agent, Accept, Referer, a form post's Origin and Content-Type).
/// </summary>
internal static class CookieHeaderBudget
{
    /// <summary>Room kept for a request's headers other than Cookie.</summary>
    internal const int OtherHeaders = 8 * 1024;

    /// <summary>The most a Cookie header may carry here: the server's limit on all headers less <see cref="OtherHeaders"/>.</summary>
    internal static int Limit(HttpContext context) =>
        (context.RequestServices.GetService<IOptions<KestrelServerOptions>>()?.Value.Limits.MaxRequestHeadersTotalSize ?? 32 * 1024) - OtherHeaders;

    /// <summary>
    /// The Cookie header the browser would send once <paramref name="planned"/> is written: the session's
    /// cookies and this request's other cookies (those of the site, not Amplify's nor this adapter's, which
    /// the new ones replace).
    /// </summary>
    internal static int Bytes(SessionCookies planned, string? header)
    {
        var others = 0;
        foreach (var pair in (header ?? "").Split(';'))
        {
            var cookie = pair.AsSpan().Trim();
            if (!cookie.IsEmpty && !cookie.StartsWith("CognitoIdentityServiceProvider.", StringComparison.Ordinal) && !cookie.StartsWith(".Cognito.", StringComparison.Ordinal))
            {
                others += cookie.Length + 2;
            }
        }

        return planned.CookieHeaderBytes + others;
    }
}
