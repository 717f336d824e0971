using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// <c>GET /auth/session</c>: who the server sees (<c>{"signedIn":false}</c> or the session's summary,
/// never a token), for tab sync and the token page — it works with HttpOnly cookies.
/// </summary>
internal static class SessionEndpoint
{
    internal static Task Handle(HttpContext context)
    {
        var tokens = context.GetCognitoTokens();
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.ContentType = "application/json";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteBoolean("signedIn", tokens is not null);
            tokens?.WriteSummary(json);
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }
}
