using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>
/// <c>GET /auth/session</c>: who the server sees (<c>{"signedIn":false}</c> or the session's summary,
/// never a token), for tab sync and the token page — it works with HttpOnly cookies. Two additions for
/// live UIs (Blazor): <c>?claims</c> adds the principal's claims (what the platform's authentication
/// state serialization hands a WebAssembly component anyway), and <c>?circuit=NONCE</c> adds them sealed
/// for a server-side listener (<see cref="CognitoSessionSeal"/>).
/// </summary>
internal static class SessionEndpoint
{
    internal static Task Handle(HttpContext context, IDataProtectionProvider dataProtection, string scheme)
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
            if (tokens is not null)
            {
                tokens.WriteSummary(json);
                var query = context.Request.Query;
                var wantsClaims = query.ContainsKey("claims");
                var sealFor = query[CognitoSessionSeal.QueryName] is { Count: 1 } values && CognitoSessionSeal.IsNonce(values[0]) ? values[0] : null;
                if (wantsClaims || sealFor is not null)
                {
                    var identity = CognitoClaims.Identity(tokens, scheme);
                    if (wantsClaims)
                    {
                        WriteClaims(json, identity);
                    }

                    if (sealFor is not null)
                    {
                        json.WriteString("seal", CognitoSessionSeal.Seal(dataProtection, identity, sealFor));
                    }
                }
            }

            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(stream.ToArray()).AsTask();
    }

    private static void WriteClaims(Utf8JsonWriter json, ClaimsIdentity identity)
    {
        json.WriteString("authenticationType", identity.AuthenticationType);
        json.WriteStartArray("claims");
        foreach (var claim in identity.Claims)
        {
            json.WriteStartObject();
            json.WriteString("type", claim.Type);
            json.WriteString("value", claim.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
