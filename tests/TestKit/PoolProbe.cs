using System.Text;
using System.Text.Json;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Cognito.TestKit;

/// <summary>
/// What the tests count and break at the development pool, outside the shipped package (issue 25): a
/// middleware in front of the pool's endpoints, put first in an app's pipeline by <see cref="AddTo"/>,
/// that counts the token, refresh and revoke calls (OAuth endpoints and the Cognito API) and delays or
/// fails the token endpoint on demand. One probe may watch several apps (a web farm's instances).
/// </summary>
public sealed class PoolProbe
{
    private const string TargetPrefix = "AWSCognitoIdentityProviderService.";
    private const int MaxBody = 64 * 1024;
    private int _tokenRequests;
    private int _refreshRequests;
    private int _revokeRequests;

    /// <summary>Extra latency of the token endpoint (fault tests).</summary>
    public TimeSpan TokenLatency { get; set; }

    /// <summary>Probability that the token endpoint answers 500 "injected failure" (fault tests).</summary>
    public double TokenFailureRate { get; set; }

    /// <summary>Token requests: every grant at <c>/oauth2/token</c>, and refreshes through the Cognito API.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Refreshes: the refresh_token grant and the API's GetTokensFromRefreshToken / InitiateAuth REFRESH_TOKEN_AUTH.</summary>
    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    /// <summary>Revocations: <c>/oauth2/revoke</c> and the API's RevokeToken.</summary>
    public int RevokeRequests => Volatile.Read(ref _revokeRequests);

    /// <summary>Puts this probe first in the pipeline of the app these services build.</summary>
    public PoolProbe AddTo(IServiceCollection services)
    {
        services.AddSingleton<IStartupFilter>(new Filter(this));
        return this;
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Method == "POST" && context.Request.Path.StartsWithSegments(DevelopmentUserPool.PathBase, out var rest))
        {
            switch (rest.Value)
            {
                case "/oauth2/token":
                    if (await Body(context) is { } form && context.Request.HasFormContentType)
                    {
                        Count(refresh: QueryHelpers.ParseQuery(form).TryGetValue("grant_type", out var grant) && grant == "refresh_token");
                        if (TokenLatency > TimeSpan.Zero)
                        {
                            await Task.Delay(TokenLatency, context.RequestAborted);
                        }

                        if (TokenFailureRate > 0 && Random.Shared.NextDouble() < TokenFailureRate)
                        {
                            context.Response.StatusCode = 500;
                            context.Response.ContentType = "text/plain; charset=utf-8";
                            await context.Response.WriteAsync("injected failure");
                            return;
                        }
                    }

                    break;
                case "/oauth2/revoke":
                    Interlocked.Increment(ref _revokeRequests);
                    break;
                case "" or "/":
                    CountApi(context.Request.Headers["X-Amz-Target"].ToString(), await Body(context));
                    break;
            }
        }

        await next(context);
    }

    private void Count(bool refresh)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (refresh)
        {
            Interlocked.Increment(ref _refreshRequests);
        }
    }

    private void CountApi(string target, string? body)
    {
        if (body is null || !target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var input = document.RootElement;
            if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("ClientId", out var client) || client.ValueKind != JsonValueKind.String || client.GetString() != DevelopmentUserPool.ClientId)
            {
                return;
            }

            switch (target[TargetPrefix.Length..])
            {
                case "GetTokensFromRefreshToken":
                case "InitiateAuth" when input.TryGetProperty("AuthFlow", out var flow) && flow.ValueKind == JsonValueKind.String && flow.GetString() is "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN":
                    Count(refresh: true);
                    break;
                case "RevokeToken":
                    Interlocked.Increment(ref _revokeRequests);
                    break;
            }
        }
        catch (JsonException)
        {
            // Not counted: the pool answers a SerializationException.
        }
    }

    /// <summary>The request body as text when it is at most 64 KiB, the stream rewound for the pool; else null.</summary>
    private static async Task<string?> Body(HttpContext context)
    {
        context.Request.EnableBuffering();
        var buffer = new byte[MaxBody + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
        {
            read += n;
        }

        context.Request.Body.Position = 0;
        return read > MaxBody ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private sealed class Filter(PoolProbe probe) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) => probe.InvokeAsync(context, following));
            next(app);
        };
    }
}
