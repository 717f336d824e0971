using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// What keeps other sites out of the adapter's pages: state-changing requests only from this origin,
/// and pages no other site may frame.
/// </summary>
internal static class SameOrigin
{
    /// <summary>
    /// Why a state-changing request looks cross-site, or null: Sec-Fetch-Site when the browser sends it
    /// (only <c>same-origin</c> and <c>none</c>, a typed address, pass; <c>same-site</c>, a sibling
    /// subdomain, does not), else Origin, else Referer, compared with this request's host. A request
    /// with none of the three is not from a browser form, and passes.
    /// </summary>
    internal static string? CrossSiteEvidence(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site)
        {
            return site is "same-origin" or "none" ? null : "Sec-Fetch-Site is not same-origin";
        }

        if (request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            return SameHost(origin, request) ? null : "Origin is another site";
        }

        return request.Headers.Referer.ToString() is { Length: > 0 } referer && !SameHost(referer, request)
            ? "Referer is another site"
            : null;
    }

    private static bool SameHost(string url, HttpRequest request) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed)
        && parsed.Scheme is "http" or "https"
        && string.Equals(parsed.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>No other site may frame this page (clickjacking): CSP frame-ancestors, and X-Frame-Options for older browsers.</summary>
    internal static void NotFramed(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
