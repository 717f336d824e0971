using Cognito.AspNet.Development;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Fills the defaults of a Cognito scheme's options, and nothing else (checks are in
/// <see cref="CognitoCookiesOptionsValidator"/>, the verifier is built by <see cref="CognitoVerifierFactory"/>):
/// the clock, and with the development pool its region, pool, client, keys and secret.
/// </summary>
internal sealed class CognitoCookiesPostConfigureOptions(CognitoSchemes schemes, IHostEnvironment environment, IServiceProvider services, TimeProvider? timeProvider = null)
    : IPostConfigureOptions<CognitoCookiesOptions>
{
    public void PostConfigure(string? name, CognitoCookiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!schemes.Contains(name))
        {
            return;
        }

        options.TimeProvider ??= timeProvider ?? TimeProvider.System;
        if (options.UseDevelopmentPool && (environment.IsDevelopment() || options.AllowDevelopmentPoolOutsideDevelopment))
        {
            UseDevelopmentPool(options);
        }
    }

    private void UseDevelopmentPool(CognitoCookiesOptions options)
    {
        // Resolved only here, so an app on a real pool never makes the development pool's key.
        var developmentPool = services.GetRequiredService<DevelopmentUserPool>();
        options.Region = DevelopmentUserPool.Region;
        options.UserPoolId = DevelopmentUserPool.UserPoolId;
        options.ClientId = DevelopmentUserPool.ClientId;
        if (!options.AdditionalClientIds.Contains(DevelopmentUserPool.MachineClientId))
        {
            options.AdditionalClientIds.Add(DevelopmentUserPool.MachineClientId);
        }

        options.ClientSecret ??= developmentPool.ClientSecret;
        options.Keys = developmentPool.Keys;
        options.DevelopmentPool = developmentPool;
        options.DevelopmentPoolServer = services.GetRequiredService<DevelopmentPoolServer>();
        options.LiveKeys = null;
        options.Domain = null;
        options.RedirectSignIn = null;
        options.RedirectSignOut = null;
    }
}
