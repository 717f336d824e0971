using Cognito.Blazor;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Blazor side of Cognito sessions.</summary>
public static class CognitoBlazorServiceCollectionExtensions
{
    /// <summary>
    /// The WebAssembly side (the <c>.Client</c> project of a Blazor Web App): authorization, the cascading
    /// authentication state and <see cref="CognitoUser"/>, a provider that starts from the server's
    /// serialized state and follows the session (<see cref="CognitoClientAuthenticationStateProvider"/>),
    /// and an <see cref="HttpClient"/> for this site's APIs with the session cookies
    /// (<see cref="CognitoApiHandler"/>), unless the app registered its own.
    /// </summary>
    public static IServiceCollection AddCognitoBlazorClient(this IServiceCollection services, Action<CognitoBlazorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCognitoBlazorOptions(configure);
        services.AddAuthorizationCore();
        services.AddCascadingAuthenticationState();
        services.RemoveAll<AuthenticationStateProvider>();
        services.AddScoped<AuthenticationStateProvider, CognitoClientAuthenticationStateProvider>();
        services.AddCognitoUser();
        services.TryAddScoped(sp =>
        {
            var baseAddress = new Uri(sp.GetRequiredService<NavigationManager>().BaseUri);
            return new HttpClient(new CognitoApiHandler(baseAddress) { InnerHandler = new HttpClientHandler() }) { BaseAddress = baseAddress };
        });
        return services;
    }

    /// <summary>
    /// The cascading <see cref="CognitoUser"/> (<c>[CascadingParameter] CognitoUser User</c>), following the
    /// registered <see cref="AuthenticationStateProvider"/>. <c>AddCognitoBlazor()</c> and
    /// <see cref="AddCognitoBlazorClient"/> call it.
    /// </summary>
    public static IServiceCollection AddCognitoUser(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(CognitoUserMarker)))
        {
            services.AddSingleton<CognitoUserMarker>();
            services.AddCascadingValue<CognitoUser>(sp => new CognitoUserSource(sp.GetRequiredService<AuthenticationStateProvider>()));
        }

        return services;
    }

    /// <summary>The options, checked when first used (a message that says what to fix).</summary>
    public static OptionsBuilder<CognitoBlazorOptions> AddCognitoBlazorOptions(this IServiceCollection services, Action<CognitoBlazorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<CognitoBlazorOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoBlazorOptions>, OptionsValidator>());
        return builder;
    }

    /// <summary>Refuses the options with what is wrong and how to fix it (<see cref="CognitoBlazorOptions"/>).</summary>
    private sealed class OptionsValidator : IValidateOptions<CognitoBlazorOptions>
    {
        public ValidateOptionsResult Validate(string? name, CognitoBlazorOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail("CognitoBlazorOptions: " + problem) : ValidateOptionsResult.Success;
    }

    private sealed class CognitoUserMarker;
}
