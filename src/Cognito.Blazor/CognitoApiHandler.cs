namespace Cognito.Blazor;

/// <summary>
/// The WebAssembly side's <see cref="HttpClient"/> handler for the app's own APIs: the browser sends the
/// session cookies with same-origin requests, so this handler refuses any other origin (the cookies, and
/// whatever the API answers, stay on this site) and marks each request with
/// <c>X-Requested-With: XMLHttpRequest</c> — a header a cross-site form or link cannot send, which an
/// API that changes state can require.
/// </summary>
public sealed class CognitoApiHandler : DelegatingHandler
{
    private readonly Uri _origin;

    /// <summary>A handler for requests to <paramref name="baseAddress"/>'s origin.</summary>
    public CognitoApiHandler(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _origin = new Uri(baseAddress.GetLeftPart(UriPartial.Authority));
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri
            || Uri.Compare(uri, _origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new InvalidOperationException($"The Cognito API client calls this site's APIs only ({_origin}); use another HttpClient for {request.RequestUri}.");
        }

        request.Headers.TryAddWithoutValidation("X-Requested-With", "XMLHttpRequest"); // RequireCognitoApiHeader() on the server
        return base.SendAsync(request, cancellationToken);
    }
}
