using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cognito.AspNet;

/// <summary>
/// The user pool's OAuth endpoints (<c>/oauth2/token</c>, <c>/oauth2/revoke</c>): form posts with the
/// app client's id, or HTTP Basic when a client secret is configured. Never throws on a network fault:
/// a refused, reset, cut, stalled, redirecting or lying endpoint is an error code (<c>unreachable</c>,
/// <c>timeout</c>, <c>invalid_response</c>, <c>http_NNN</c>, or the OAuth error it sent).
/// </summary>
internal sealed class CognitoTokenClient(IHttpClientFactory httpClients)
{
    internal const string HttpClientName = "Cognito.AspNet";

    /// <summary>Largest answer read from the token endpoint (Cognito's are a few KB; big tokens stay far under this).</summary>
    internal const int MaxResponseBytes = 256 * 1024;

    /// <summary>The named client's handler: redirects are never followed (a 307 would re-post the code, the refresh token and the secret elsewhere).</summary>
    internal static HttpMessageHandler CreateHandler() =>
        new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false };

    internal Task<TokenResponse> ExchangeCodeAsync(Uri? idp, CognitoCookiesOptions options, string code, string verifier, string redirectUri, CancellationToken cancellationToken) =>
        PostAsync(idp, "oauth2/token", options, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = options.ClientId!,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
        }, cancellationToken);

    internal Task<TokenResponse> RefreshAsync(Uri? idp, CognitoCookiesOptions options, string refreshToken, CancellationToken cancellationToken) =>
        PostAsync(idp, "oauth2/token", options, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId!,
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    internal async Task<bool> RevokeAsync(Uri? idp, CognitoCookiesOptions options, string refreshToken, CancellationToken cancellationToken)
    {
        var response = await PostAsync(idp, "oauth2/revoke", options, new Dictionary<string, string>
        {
            ["token"] = refreshToken,
            ["client_id"] = options.ClientId!,
        }, cancellationToken, expectTokens: false).ConfigureAwait(false);
        return response.Error is null;
    }

    /// <summary>A form post to <paramref name="path"/> under the back channel <paramref name="idp"/> (null: not known yet, so unreachable).</summary>
    private async Task<TokenResponse> PostAsync(Uri? idp, string path, CognitoCookiesOptions options, Dictionary<string, string> form, CancellationToken cancellationToken, bool expectTokens = true)
    {
        if (idp is null)
        {
            return TokenResponse.Failed("unreachable");
        }

        var endpoint = new Uri(idp, path);
        if (SecureTransport.Refusal(endpoint, "the token endpoint", allowPlainHttp: !options.RequireHttpsMetadata) is not null)
        {
            // Start-up refuses such a configuration; this is the last line should an address come from elsewhere.
            return TokenResponse.Failed("insecure_endpoint");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        if (options.ClientSecret is { } secret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", ClientAuthentication.BasicCredentials(options.ClientId!, secret));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.BackchannelTimeout);
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await BoundedBody.ReadAsync(response.Content, MaxResponseBytes, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return TokenResponse.Failed("invalid_response");
            }

            if (!response.IsSuccessStatusCode)
            {
                return TokenResponse.Failed(OAuthError(body) ?? $"http_{(int)response.StatusCode}");
            }

            if (!expectTokens && string.IsNullOrWhiteSpace(body))
            {
                // Cognito's revoke answers 200 with an empty body.
                return new TokenResponse(null, null, null, null);
            }

            // Anything else must be a JSON object: a 200 with an HTML page (a captive portal, a proxy) is no answer.
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return TokenResponse.Failed("invalid_response");
            }

            if (!expectTokens)
            {
                return new TokenResponse(null, null, null, null);
            }

            return new TokenResponse(Text(json, "id_token"), Text(json, "access_token"), Text(json, "refresh_token"), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TokenResponse.Failed("timeout");
        }
        catch (JsonException)
        {
            return TokenResponse.Failed("invalid_response");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // Refused, reset, or closed mid-answer (HttpIOException is an IOException).
            return TokenResponse.Failed("unreachable");
        }
    }

    private static string? OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return Text(json, "error") is { } error && IsOAuthErrorCode(error) ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>RFC 6749's error codes are short and plain ASCII; anything else from the wire is not repeated in logs or pages.</summary>
    private static bool IsOAuthErrorCode(string error) =>
        error.Length is > 0 and <= 64 && error.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.');

    private static string? Text(JsonDocument json, string name) =>
        json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
