using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The server half of <c>CognitoApiHandler</c>: APIs that change state only for this site's own scripts.</summary>
public static class CognitoApiRequestExtensions
{
    /// <summary>The header the WebAssembly side's <c>HttpClient</c> sends, and its value.</summary>
    public const string HeaderName = "X-Requested-With";

    /// <summary>The value of <see cref="HeaderName"/>.</summary>
    public const string HeaderValue = "XMLHttpRequest";

    /// <summary>
    /// Refuses (403) a request that changes state (any method but GET, HEAD, OPTIONS, TRACE) without
    /// <c>X-Requested-With: XMLHttpRequest</c>. A form or link on another site cannot send that header, and
    /// script on another site cannot without a CORS preflight this app does not grant; so a cookie-authenticated
    /// API is safe from cross-site requests even where SameSite cookies are not enough (a sibling subdomain,
    /// <c>SameSite=None</c> cookies for browser-Amplify mode, older browsers).
    /// </summary>
    public static TBuilder RequireCognitoApiHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(static (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
                || string.Equals(request.Headers[HeaderName], HeaderValue, StringComparison.Ordinal))
            {
                return next(context);
            }

            return ValueTask.FromResult<object?>(Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cross-site request refused",
                detail: $"This API changes state only for requests with the header {HeaderName}: {HeaderValue}."));
        });
        return builder;
    }
}
