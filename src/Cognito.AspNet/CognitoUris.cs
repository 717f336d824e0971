using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>The addresses of a flow: the hosted UI's endpoints, the callback and the sign-out URL.</summary>
internal static class CognitoUris
{
    internal static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    /// <summary>
    /// The hosted UI base the browser is sent to, ending with '/': <c>https://{domain}/</c>, or the
    /// configured <see cref="CognitoCookiesOptions.Endpoints"/>' front channel.
    /// </summary>
    internal static Uri FrontChannel(HttpRequest request, CognitoCookiesOptions options) =>
        options.Endpoints?.FrontChannel(request) ?? Domain(options);

    /// <summary>
    /// The base this server posts codes, refresh tokens and the client secret to, ending with '/': the
    /// configured domain, or the configured <see cref="CognitoCookiesOptions.Endpoints"/>' back channel
    /// (the development pool: the address this server listens on, pinned at start-up). Never built from the
    /// request's Host or other headers; null when the endpoints do not know it yet.
    /// </summary>
    internal static Uri? BackChannel(HttpRequest request, CognitoCookiesOptions options) =>
        options.Endpoints is { } endpoints ? endpoints.BackChannel(request) : Domain(options);

    private static Uri Domain(CognitoCookiesOptions options) => new(DomainAddress(options));

    /// <summary>The configured hosted UI domain as a base address: <c>https://{domain}/</c>, or the full URL given.</summary>
    internal static string DomainAddress(CognitoCookiesOptions options)
    {
        var domain = options.Domain!.TrimEnd('/');
        return (domain.Contains("://", StringComparison.Ordinal) ? domain : "https://" + domain) + "/";
    }

    internal static string Callback(HttpRequest request, CognitoCookiesOptions options) =>
        options.RedirectSignIn is { Length: > 0 } configured && !options.BrowserAmplify
            ? configured
            : $"{Origin(request)}{request.PathBase}{options.BasePath}/callback";

    internal static string SignOut(HttpRequest request, CognitoCookiesOptions options) =>
        options.RedirectSignOut is { Length: > 0 } configured ? configured : $"{Origin(request)}{request.PathBase}/";

    /// <summary>Longest return URL kept: the flow cookie holding it must stay under a browser's 4 KB per cookie.</summary>
    internal const int MaxReturnUrlLength = 2048;

    /// <summary>
    /// A return URL is followed only when it is local to this app: a path starting with one '/', not
    /// '//' or '/\' (which browsers read as another host), with no control characters, at most
    /// <see cref="MaxReturnUrlLength"/> characters. Anything else becomes '/' (no open redirect).
    /// Characters outside ASCII are percent-encoded as UTF-8 (a Location header is ASCII; <c>/café</c>
    /// becomes <c>/caf%C3%A9</c>, which the browser shows as <c>/café</c>).
    /// </summary>
    internal static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= MaxReturnUrlLength } url
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl)
        && Ascii(url) is { Length: <= MaxReturnUrlLength } ascii
            ? ascii
            : "/";

    /// <summary>The URL with every run of non-ASCII characters percent-encoded as UTF-8; null when it holds a lone surrogate.</summary>
    private static string? Ascii(string url)
    {
        if (Ascii(url.AsSpan()))
        {
            return url;
        }

        var encoded = new StringBuilder(url.Length * 2);
        var start = 0;
        while (start < url.Length)
        {
            var end = start;
            var ascii = url[start] < 0x80;
            while (end < url.Length && url[end] < 0x80 == ascii)
            {
                end++;
            }

            var run = url.AsSpan(start, end - start);
            if (!ascii && !WellFormed(run))
            {
                return null;
            }

            encoded.Append(ascii ? run : Uri.EscapeDataString(run.ToString()));
            start = end;
        }

        return encoded.ToString();
    }

    private static bool WellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[used..];
        }

        return true;
    }

    private static bool Ascii(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange((char)0, (char)0x7F);
}
