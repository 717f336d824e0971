using System.Net;
using System.Text;
using LanguageExt;

namespace Cognito;

/// <summary>
/// Fetches a user pool's JWKS over HTTP (an edge of the core, not a stage): one GET with a timeout that
/// covers the whole body, a size limit, and errors that say what to check. Used by
/// <c>cognito pems</c> and by <see cref="LiveKeySet"/>.
/// </summary>
public sealed class JwksClient
{
    /// <summary>Largest JWKS body read (Cognito's is under 2 KB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    /// <summary>A client over <paramref name="http"/> (its own timeout is not relied on).</summary>
    public JwksClient(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The JWKS fetch timeout must be positive.");
        }

        _http = http;
        _timeout = timeout;
    }

    /// <summary>Fetches and validates the JWKS of <paramref name="pool"/> at <paramref name="uri"/> (default: Cognito's).</summary>
    public async Task<Either<KeyLoadError, KeySet>> FetchAsync(UserPool pool, Uri? uri = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        uri ??= pool.JwksUri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                return new KeyLoadError($"no such user pool: {uri} answered {(int)response.StatusCode} — check the region ({pool.Region}) and user pool id ({pool.UserPoolId})");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new KeyLoadError($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}: the JWKS endpoint failed, try again later");
            }

            // Stryker disable once Boolean : equivalent, runs after the first await resumed on the thread pool, where there is no context to capture
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
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
    }

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Stryker disable once Block : equivalent, a shortcut: the read loop refuses the same announced bodies once it has read past the limit
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        // Stryker disable once Boolean : equivalent, runs after the first await resumed on the thread pool, where there is no context to capture
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
