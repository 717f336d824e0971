using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cognito.AspNet;

/// <summary>What the token endpoint answered: tokens, or an OAuth error code (never a token in it).</summary>
internal sealed record TokenResponse(string? IdToken, string? AccessToken, string? RefreshToken, string? Error)
{
    internal bool Succeeded => Error is null && IdToken is not null && AccessToken is not null;

    internal static TokenResponse Failed(string error) => new(null, null, null, error);
}

/// <summary>
/// The user pool's OAuth endpoints (<c>/oauth2/token</c>, <c>/oauth2/revoke</c>): form posts with the
/// app client's id, or HTTP Basic when a client secret is configured.
/// </summary>
internal sealed class CognitoTokenClient(IHttpClientFactory httpClients)
{
    internal const string HttpClientName = "Cognito.AspNet";

    internal Task<TokenResponse> ExchangeCodeAsync(Uri idp, string clientId, string? secret, string code, string verifier, string redirectUri, CancellationToken cancellationToken) =>
        PostAsync(new Uri(idp, "oauth2/token"), clientId, secret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
        }, cancellationToken);

    internal Task<TokenResponse> RefreshAsync(Uri idp, string clientId, string? secret, string refreshToken, CancellationToken cancellationToken) =>
        PostAsync(new Uri(idp, "oauth2/token"), clientId, secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    internal async Task<bool> RevokeAsync(Uri idp, string clientId, string? secret, string refreshToken, CancellationToken cancellationToken)
    {
        var response = await PostAsync(new Uri(idp, "oauth2/revoke"), clientId, secret, new Dictionary<string, string>
        {
            ["token"] = refreshToken,
            ["client_id"] = clientId,
        }, cancellationToken, expectTokens: false).ConfigureAwait(false);
        return response.Error is null;
    }

    private async Task<TokenResponse> PostAsync(Uri endpoint, string clientId, string? secret, Dictionary<string, string> form, CancellationToken cancellationToken, bool expectTokens = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        if (secret is not null)
        {
            // RFC 6749 §2.3.1: client id and secret form-urlencoded, then Basic.
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return TokenResponse.Failed(OAuthError(body) ?? $"http_{(int)response.StatusCode}");
            }

            if (!expectTokens)
            {
                return new TokenResponse(null, null, null, null);
            }

            using var json = JsonDocument.Parse(body);
            return new TokenResponse(Text(json, "id_token"), Text(json, "access_token"), Text(json, "refresh_token"), null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return TokenResponse.Failed(e is JsonException ? "invalid_response" : "unreachable");
        }
    }

    private static string? OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return Text(json, "error");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonDocument json, string name) =>
        json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
