using Cognito.Blazor;
using Cognito.Blazor.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the server side of a Blazor Web App on Cognito sessions.</summary>
public static class CognitoBlazorServerExtensions
{
    /// <summary>
    /// Blazor on the Cognito cookie session (after <c>AddCognito()</c> and <c>AddRazorComponents()</c>):
    /// the cascading authentication state and <see cref="CognitoUser"/>; for Interactive Server circuits a
    /// provider that follows the browser's session (<see cref="CognitoCircuitAuthenticationStateProvider"/>:
    /// every <see cref="CognitoBlazorOptions.RevalidationInterval"/>, on visibility, and at once on another
    /// tab's sign-in or sign-out); and for WebAssembly components the platform's authentication state
    /// serialization with all the claims (the client calls <c>AddCognitoBlazorClient()</c>).
    /// </summary>
    public static IRazorComponentsBuilder AddCognitoBlazor(this IRazorComponentsBuilder builder, Action<CognitoBlazorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCognitoBlazorOptions(configure).ValidateOnStart();
        services.AddCascadingAuthenticationState();
        services.RemoveAll<AuthenticationStateProvider>();
        services.AddScoped<AuthenticationStateProvider, CognitoCircuitAuthenticationStateProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CognitoCircuitHandler>());
        services.AddCognitoUser();
        builder.AddAuthenticationStateSerialization(options => options.SerializeAllClaims = true);
        return builder;
    }
}
