using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet.Development;

/// <summary>
/// Points every Cognito scheme at the development pool (its region, pool, clients, key and secret, its
/// endpoints; no JWKS to follow), and stops the app at start-up outside the Development environment
/// unless <see cref="DevelopmentPoolOptions.AllowOutsideDevelopment"/>: it signs in anyone.
/// </summary>
internal sealed class DevelopmentPoolConfiguration(IServiceProvider services, IHostEnvironment environment, IOptions<DevelopmentPoolOptions> poolOptions)
    : IPostConfigureOptions<CognitoCookiesOptions>, IValidateOptions<CognitoCookiesOptions>,
      IPostConfigureOptions<CognitoBearerOptions>, IValidateOptions<CognitoBearerOptions>
{
    /// <summary>A bearer scheme verifies the development pool's access tokens (its app client and machine client), with its key.</summary>
    public void PostConfigure(string? name, CognitoBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Allowed)
        {
            return;
        }

        var pool = services.GetRequiredService<DevelopmentUserPool>();
        (options.Region, options.UserPoolId, options.ClientId) = Clients(options.AdditionalClientIds);
        options.Keys = pool.Keys;
        options.LiveKeys = null;
        options.FollowKeyRotation = false;
    }

    public ValidateOptionsResult Validate(string? name, CognitoBearerOptions options) => Refusal;

    /// <summary>The pool and its web client (region, pool id, client id); the machine client joins <paramref name="additional"/>.</summary>
    private static (string Region, string UserPoolId, string ClientId) Clients(IList<string> additional)
    {
        if (!additional.Contains(DevelopmentUserPool.MachineClientId))
        {
            additional.Add(DevelopmentUserPool.MachineClientId);
        }

        return (DevelopmentUserPool.Region, DevelopmentUserPool.UserPoolId, DevelopmentUserPool.ClientId);
    }

    public void PostConfigure(string? name, CognitoCookiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Allowed)
        {
            return; // the validation below stops the app, with a message
        }

        // Resolved only here, so the development pool's key is made only when it is used.
        var pool = services.GetRequiredService<DevelopmentUserPool>();
        (options.Region, options.UserPoolId, options.ClientId) = Clients(options.AdditionalClientIds);

        options.ClientSecret ??= pool.ClientSecret;
        options.Keys = pool.Keys;
        options.LiveKeys = null;
        options.FollowKeyRotation = false;
        options.Endpoints = services.GetRequiredService<DevelopmentEndpoints>();
        options.Domain = null;
        options.RedirectSignIn = null;
        options.RedirectSignOut = null;
    }

    public ValidateOptionsResult Validate(string? name, CognitoCookiesOptions options) => Refusal;

    private ValidateOptionsResult Refusal =>
        Allowed
            ? ValidateOptionsResult.Skip
            : ValidateOptionsResult.Fail(
                "Cognito: the development user pool signs in anyone, so it runs only in the Development environment " +
                $"(this is '{environment.EnvironmentName}'). Configure a real user pool (USER_POOL_REGION, USER_POOL_ID, " +
                "USER_POOL_CLIENT_ID, IDP_DOMAIN) and call AddCognitoDevelopmentPool() only in Development, or set ASPNETCORE_ENVIRONMENT=Development.");

    private bool Allowed => environment.IsDevelopment() || poolOptions.Value.AllowOutsideDevelopment;
}
