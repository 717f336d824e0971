using Cognito.Blazor.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Components.WebAssembly.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Cognito.Blazor.Tests;

/// <summary>
/// <c>AddCognitoBlazor()</c>'s registrations, checked in the container (the browser tests check them working in
/// the sample, a process Stryker cannot see): the circuit's provider in place of the platform's, its circuit
/// handler once, the cascades, the serialization of every claim, and options refused at start.
/// </summary>
public sealed class ServerRegistrationTests
{
    private static ServiceCollection Services(Action<CognitoBlazorOptions>? configure = null, bool twice = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var builder = services.AddRazorComponents().AddInteractiveServerComponents();
        builder.AddCognitoBlazor(configure);
        if (twice)
        {
            builder.AddCognitoBlazor(configure); // twice: still one provider and one circuit handler
        }

        return services;
    }

    private static ServiceCollection WithoutCognito()
    {
        var services = new ServiceCollection();
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }

    [Fact]
    public async Task The_circuit_provider_replaces_the_platforms_and_starts_when_the_circuit_connects()
    {
        var services = Services(o => o.RevalidationInterval = TimeSpan.FromSeconds(20));
        Assert.Single(services, d => d.ServiceType == typeof(AuthenticationStateProvider));
        Assert.Single(services, d => d.ImplementationType?.Name == "CognitoCircuitHandler");
        static int Suppliers(ServiceCollection s) => s.Count(d => d.ServiceType.Name == "ICascadingValueSupplier");
        Assert.Equal(2, Suppliers(Services(twice: false)) - Suppliers(WithoutCognito())); // the authentication state and the CognitoUser
        var browser = new FakeBrowser { Answer = _ => """{"signedIn":false}""" };
        services.AddScoped<IJSRuntime>(_ => browser);

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var state = Assert.IsType<CognitoCircuitAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        Assert.Equal(TimeSpan.FromSeconds(20), scope.ServiceProvider.GetRequiredService<IOptions<CognitoBlazorOptions>>().Value.RevalidationInterval);
        Assert.True(scope.ServiceProvider.GetRequiredService<IOptions<AuthenticationStateSerializationOptions>>().Value.SerializeAllClaims);

        var handler = scope.ServiceProvider.GetServices<CircuitHandler>().Single(h => h.GetType().Name == "CognitoCircuitHandler");
        await handler.OnConnectionUpAsync(null!, CancellationToken.None);
        for (var i = 0; i < 100 && state.Revalidations == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, state.Revalidations);
        Assert.Equal("?circuit=", browser.Queries.Single()[..9]);
    }

    [Fact]
    public async Task Options_out_of_range_stop_the_start()
    {
        await using var provider = Services(o => o.RevalidationInterval = TimeSpan.Zero).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("RevalidationInterval must be at least 1 second", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => CognitoBlazorServerExtensions.AddCognitoBlazor(null!));
        Assert.Throws<ArgumentNullException>(() => new CognitoCircuitAuthenticationStateProvider(new FakeBrowser(), Options.Create(new CognitoBlazorOptions()), null!));
    }
}
