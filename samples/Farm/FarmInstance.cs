using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cognito.Farm;

/// <summary>One instance of the demo in the farm.</summary>
public sealed class FarmInstance : IAsyncDisposable
{
    private int _stopped;

    internal FarmInstance(string name, WebApplication app)
    {
        (Name, App) = (name, app);
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Its name (the <see cref="Farm.InstanceHeader"/> of its answers).</summary>
    public string Name { get; }

    /// <summary>Its own loopback address (the proxy's destination).</summary>
    public Uri Address { get; }

    /// <summary>The app.</summary>
    public WebApplication App { get; }

    /// <summary>Stops it at once: open connections are cut, nothing drains.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await App.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
