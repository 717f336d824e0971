using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet.Development;

/// <summary>
/// What a browser client of the development pool needs beyond the hosted UI (docs/spec.md, "Development
/// user pool"): the part of Cognito's user pool API that Amplify calls itself — token refresh
/// (<c>GetTokensFromRefreshToken</c>, and <c>InitiateAuth</c> with <c>REFRESH_TOKEN_AUTH</c> for older
/// clients) and <c>RevokeToken</c> — at <see cref="DevelopmentUserPool.PathBase"/> (Amplify's
/// <c>userPoolEndpoint</c>), and the CORS answers Cognito gives its token endpoint and API when the app
/// runs on another origin.
/// </summary>
internal sealed partial class DevelopmentUserPoolMiddleware
{
    private const string AmzJson = "application/x-amz-json-1.1";
    private const string TargetPrefix = "AWSCognitoIdentityProviderService.";

    /// <summary>The request headers a cross-origin client may send (Amplify's and the AWS SDKs').</summary>
    private const string AllowedHeaders = "content-type, x-amz-target, x-amz-user-agent, cache-control, authorization, amz-sdk-invocation-id, amz-sdk-request";

    /// <summary>Largest API request read (Cognito's requests here are a refresh token and a client id).</summary>
    private const int MaxApiRequestBytes = 64 * 1024;

    /// <summary>
    /// Cross-origin answers: Cognito's token endpoint and API allow any origin without credentials
    /// (<c>Access-Control-Allow-Origin: *</c>). No cookie is read or written by these endpoints, and a
    /// code is useless without its PKCE verifier, so a wildcard gives a page nothing it did not have.
    /// </summary>
    private static void AllowAnyOrigin(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date";
    }

    /// <summary>A CORS preflight of the token, revoke or API endpoint: POST with <see cref="AllowedHeaders"/>.</summary>
    private static Task Preflight(HttpContext context)
    {
        AllowAnyOrigin(context.Response);
        context.Response.Headers.AccessControlAllowMethods = "POST";
        context.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
        context.Response.Headers.AccessControlMaxAge = "300";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>POST /</c> with <c>X-Amz-Target: AWSCognitoIdentityProviderService.{Operation}</c> and a JSON
    /// body, as Cognito's regional endpoint (<c>https://cognito-idp.{region}.amazonaws.com/</c>) takes it.
    /// </summary>
    private async Task Api(HttpContext context)
    {
        AllowAnyOrigin(context.Response);
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            await ApiError(context, "UnknownOperationException", "X-Amz-Target names no operation of this service").ConfigureAwait(false);
            return;
        }

        var body = await ReadApiBody(context).ConfigureAwait(false);
        if (body is null)
        {
            await ApiError(context, "SerializationException", "the request body is not a JSON object").ConfigureAwait(false);
            return;
        }

        using (body)
        {
            var input = body.RootElement;
            if (String(input, "ClientId") != DevelopmentUserPool.ClientId)
            {
                await ApiError(context, "ResourceNotFoundException", "User pool client does not exist.").ConfigureAwait(false);
                return;
            }

            switch (target[TargetPrefix.Length..])
            {
                case "GetTokensFromRefreshToken":
                    await RefreshByApi(context, String(input, "RefreshToken"), challenge: false).ConfigureAwait(false);
                    break;
                case "InitiateAuth" when String(input, "AuthFlow") is "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN":
                    var parameters = input.TryGetProperty("AuthParameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                    await RefreshByApi(context, String(parameters, "REFRESH_TOKEN"), challenge: true).ConfigureAwait(false);
                    break;
                case "RevokeToken":
                    pool.Revoke(String(input, "Token") ?? "");
                    await ApiResult(context, "{}").ConfigureAwait(false);
                    break;
                default:
                    await ApiError(context, "InvalidParameterException", "the development pool answers GetTokensFromRefreshToken, InitiateAuth (REFRESH_TOKEN_AUTH) and RevokeToken").ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task RefreshByApi(HttpContext context, string? refreshToken, bool challenge)
    {
        if (refreshToken is null || pool.UseRefreshToken(refreshToken) is not var (grant, replacement))
        {
            await ApiError(context, "NotAuthorizedException", "Invalid Refresh Token.").ConfigureAwait(false);
            return;
        }

        var (id, access) = pool.Mint(grant);
        var authentication = new JsonObject
        {
            ["AccessToken"] = access,
            ["ExpiresIn"] = (int)pool.TokenLifetime.TotalSeconds,
            ["IdToken"] = id,
            ["TokenType"] = "Bearer",
        };
        if (replacement is not null)
        {
            authentication["RefreshToken"] = replacement;
        }

        var result = new JsonObject { ["AuthenticationResult"] = authentication };
        if (challenge)
        {
            result["ChallengeParameters"] = new JsonObject();
        }

        await ApiResult(context, result.ToJsonString()).ConfigureAwait(false);
    }

    private static async Task<JsonDocument?> ReadApiBody(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxApiRequestBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxApiRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return null;
            }

            return document;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Task ApiResult(HttpContext context, string json)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = AmzJson;
        return context.Response.WriteAsync(json);
    }

    /// <summary>Cognito's error shape: 400, <c>__type</c> and <c>message</c> in the body, the type in <c>x-amzn-ErrorType</c>.</summary>
    private static Task ApiError(HttpContext context, string type, string message)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = AmzJson;
        context.Response.Headers["x-amzn-ErrorType"] = type + ":";
        context.Response.Headers["x-amzn-ErrorMessage"] = message;
        return context.Response.WriteAsync(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());
    }
}
