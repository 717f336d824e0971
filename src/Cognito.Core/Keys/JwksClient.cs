using System.Net;
using LanguageExt;

namespace Cognito;

/// <summary>
/// Fetches a user pool's JWKS over HTTP (an edge of the core, not a stage): one GET with a timeout that
/// covers the whole body, a size limit, https only (loopback aside), no redirect to another address,
/// and errors that say what to check. Never throws on a network fault: a refused, reset, cut, stalled
/// or lying server is a <see cref="KeyLoadError"/>. Used by <c>cognito pems</c> and by <see cref="LiveKeySet"/>.
/// </summary>
public sealed class JwksClient
{
    /// <summary>Largest JWKS body read (Cognito's is under 2 KB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly bool _requireHttps;

    /// <summary>
    /// A client over <paramref name="http"/> (its own timeout is not relied on). With
    /// <paramref name="requireHttps"/> off, keys may be fetched over plain http from any host: a
    /// tampered answer then injects keys, so only turn it off on a network you trust.
    /// </summary>
    public JwksClient(HttpClient http, TimeSpan timeout, bool requireHttps = true)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The JWKS fetch timeout must be positive.");
        }

        _http = http;
        _timeout = timeout;
        _requireHttps = requireHttps;
    }

    /// <summary>Fetches and validates the JWKS of <paramref name="pool"/> at <paramref name="uri"/> (default: Cognito's).</summary>
    public async Task<Either<KeyLoadError, KeySet>> FetchAsync(UserPool pool, Uri? uri = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        uri ??= pool.JwksUri;
        if (SecureTransport.Refusal(uri, "the JWKS address", allowPlainHttp: !_requireHttps) is { } insecure)
        {
            return new KeyLoadError(insecure);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (Redirected(uri, response) is { } elsewhere)
            {
                return new KeyLoadError($"{uri} redirected to {elsewhere}: keys are read only from the configured address");
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                return new KeyLoadError($"no such user pool: {uri} answered {(int)response.StatusCode} — check the region ({pool.Region}) and user pool id ({pool.UserPoolId})");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new KeyLoadError($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}: the JWKS endpoint failed, try again later");
            }

            // Stryker disable once Boolean : equivalent, runs after the first await resumed on the thread pool, where there is no context to capture
            var body = await BoundedBody.ReadAsync(response.Content, MaxBodyBytes, timeout.Token).ConfigureAwait(false);
            return body is null
                ? new KeyLoadError($"{uri} sent more than {MaxBodyBytes} bytes: that is not a Cognito JWKS")
                : Jwks.Parse(pool, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KeyLoadError($"timed out after {_timeout.TotalSeconds:0.#} s fetching {uri}: check the network, a proxy, or the address");
        }
        catch (HttpRequestException e)
        {
            return new KeyLoadError($"cannot reach {uri}: {e.Message} — check the network and the region ({pool.Region})");
        }
        catch (IOException e)
        {
            // A connection reset or closed mid-body (HttpIOException is an IOException, not an HttpRequestException).
            return new KeyLoadError($"the connection to {uri} broke: {e.Message} — check the network, a proxy, or the address");
        }
    }

    /// <summary>Where a redirect led, when the answer came from another address than asked (an HttpClient that follows redirects), or was a redirect itself.</summary>
    private static string? Redirected(Uri asked, HttpResponseMessage response)
    {
        var answered = response.RequestMessage?.RequestUri;
        if (answered is not null && answered != asked)
        {
            return answered.GetLeftPart(UriPartial.Path);
        }

        var status = (int)response.StatusCode;
        return status is >= 300 and < 400 ? $"{response.Headers.Location?.ToString() ?? "nowhere"} ({status})" : null;
    }
}
