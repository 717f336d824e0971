using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.TestKit;

/// <summary>
/// A real JWKS endpoint on 127.0.0.1 (Kestrel) for tests: serves the keys it is given at
/// <c>/{userPoolId}/.well-known/jwks.json</c>, or whatever failure a test asks for, and counts requests.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private JwksServer(WebApplication app) => _app = app;

    /// <summary>The keys served (kid → key).</summary>
    public Dictionary<string, RSA> Keys { get; } = [];

    /// <summary>When set, answers instead of serving the keys.</summary>
    public Func<HttpContext, Task>? Override { get; set; }

    /// <summary>Requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public Uri BaseAddress { get; private set; } = null!;

    public Uri JwksUri(string userPoolId) => new(BaseAddress, $"/{userPoolId}/.well-known/jwks.json");

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new JwksServer(app);
        app.MapGet("/{pool}/.well-known/jwks.json", server.Handle);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>The JWKS document of some keys, as Cognito writes it.</summary>
    public static string Document(IEnumerable<KeyValuePair<string, RSA>> keys) =>
        new JsonObject
        {
            ["keys"] = new JsonArray(keys.Select(k => (JsonNode)Jwk(k.Key, k.Value)).ToArray()),
        }.ToJsonString();

    public static JsonObject Jwk(string kid, AsymmetricAlgorithm key)
    {
        if (key is ECDsa ec)
        {
            var q = ec.ExportParameters(false).Q;
            return new JsonObject { ["alg"] = "ES256", ["kid"] = kid, ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Jws.Base64Url(q.X), ["y"] = Jws.Base64Url(q.Y), ["use"] = "sig" };
        }

        var p = ((RSA)key).ExportParameters(false);
        return new JsonObject { ["alg"] = "RS256", ["e"] = Jws.Base64Url(p.Exponent), ["kid"] = kid, ["kty"] = "RSA", ["n"] = Jws.Base64Url(p.Modulus), ["use"] = "sig" };
    }

    private async Task Handle(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Override is { } answer)
        {
            await answer(context).ConfigureAwait(false);
            return;
        }

        KeyValuePair<string, RSA>[] keys;
        lock (Keys)
        {
            keys = [.. Keys];
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Document(keys)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
