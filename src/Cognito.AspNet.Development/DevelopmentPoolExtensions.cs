using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet.Development;

/// <summary>Registration of the development user pool.</summary>
public static class DevelopmentPoolExtensions
{
    /// <summary>
    /// Runs the development user pool in this app and points every Cognito scheme at it: a sign-in form
    /// under <c>/_cognito-dev</c> that accepts any username, tokens minted with Cognito's claims, no AWS
    /// account. Development environment only (the app stops at start-up elsewhere, unless
    /// <see cref="DevelopmentPoolOptions.AllowOutsideDevelopment"/>); call it after or before
    /// <c>AddCognito()</c>, typically inside <c>if (builder.Environment.IsDevelopment())</c>.
    /// </summary>
    public static IServiceCollection AddCognitoDevelopmentPool(this IServiceCollection services, Action<DevelopmentPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DevelopmentPoolOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new DevelopmentUserPool(sp.GetService<TimeProvider>()));
        services.TryAddSingleton<DevelopmentPoolServer>();
        services.TryAddSingleton<DevelopmentEndpoints>();
        services.TryAddSingleton<DevelopmentPoolConfiguration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CognitoCookiesOptions>, DevelopmentPoolConfiguration>(sp => sp.GetRequiredService<DevelopmentPoolConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoCookiesOptions>, DevelopmentPoolConfiguration>(sp => sp.GetRequiredService<DevelopmentPoolConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CognitoBearerOptions>, DevelopmentPoolConfiguration>(sp => sp.GetRequiredService<DevelopmentPoolConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoBearerOptions>, DevelopmentPoolConfiguration>(sp => sp.GetRequiredService<DevelopmentPoolConfiguration>()));
        return services;
    }
}
