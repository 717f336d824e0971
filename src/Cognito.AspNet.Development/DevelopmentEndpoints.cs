using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cognito.AspNet.Development;

/// <summary>
/// The development pool as a scheme's identity provider: the browser goes to the pool on this app as
/// it addressed it (its front channel); this server posts to the address it listens on, pinned once it
/// started (<see cref="DevelopmentPoolServer"/>), never to one built from a request's Host header; and
/// the pool's endpoints go into the pipeline where <c>UseCognitoCookies()</c> is called.
/// </summary>
internal sealed class DevelopmentEndpoints(DevelopmentPoolServer server) : ICognitoEndpoints
{
    private int _configured;

    public Uri FrontChannel(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}{DevelopmentUserPool.PathBase}/");

    public Uri? BackChannel(HttpRequest request) =>
        server.Address is { } pinned ? new Uri(pinned, $"{request.PathBase}{DevelopmentUserPool.PathBase}/".TrimStart('/')) : null;

    public void Configure(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return; // one pool per app, however many schemes use it
        }

        var services = app.ApplicationServices;
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognito.AspNet.Development")
            .DevelopmentPoolInUse($"{DevelopmentUserPool.PathBase}/oauth2/authorize");
        var listening = services.GetService<IServer>();
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
            server.Address = ListeningAddress.Choose(listening?.Features.Get<IServerAddressesFeature>()?.Addresses));
        app.UseMiddleware<DevelopmentUserPoolMiddleware>();
    }
}
