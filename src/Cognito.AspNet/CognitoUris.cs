using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The addresses of a flow: the hosted UI's endpoints, the callback and the sign-out URL.</summary>
internal static class CognitoUris
{
    internal static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    /// <summary>The hosted UI base, ending with '/': <c>https://{domain}/</c>, or the development pool on this app.</summary>
    internal static Uri IdentityProvider(HttpRequest request, CognitoCookiesOptions options)
    {
        if (options.UseDevelopmentPool)
        {
            return new Uri($"{Origin(request)}{request.PathBase}{DevelopmentUserPool.PathBase}/");
        }

        var domain = options.Domain!.TrimEnd('/');
        return new Uri((domain.Contains("://", StringComparison.Ordinal) ? domain : "https://" + domain) + "/");
    }

    internal static string Callback(HttpRequest request, CognitoCookiesOptions options) =>
        options.RedirectSignIn is { Length: > 0 } configured && !options.BrowserAmplify
            ? configured
            : $"{Origin(request)}{request.PathBase}{options.BasePath}/callback";

    internal static string SignOut(HttpRequest request, CognitoCookiesOptions options) =>
        options.RedirectSignOut is { Length: > 0 } configured ? configured : $"{Origin(request)}{request.PathBase}/";

    /// <summary>
    /// A return URL is followed only when it is local to this app: a path starting with one '/', not
    /// '//' or '/\' (which browsers read as another host), with no control characters. Anything else
    /// becomes '/' (no open redirect).
    /// </summary>
    internal static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } url
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl)
            ? url
            : "/";
}
