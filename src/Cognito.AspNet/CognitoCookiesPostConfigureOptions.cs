using Cognito.AspNet.Development;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>
/// Completes and checks the options at start-up and builds the verifier. A broken configuration stops
/// the app with a message that names the settings to fix (both the <c>Cognito</c> section key and the
/// seed's environment variable).
/// </summary>
internal sealed class CognitoCookiesPostConfigureOptions(IHostEnvironment environment, IServiceProvider services, TimeProvider? timeProvider = null)
    : IPostConfigureOptions<CognitoCookiesOptions>
{
    public void PostConfigure(string? name, CognitoCookiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider ??= timeProvider ?? TimeProvider.System;
        if (options.UseDevelopmentPool)
        {
            UseDevelopmentPool(options);
        }
        else
        {
            CheckRequired(options);
        }

        UserPool pool;
        try
        {
            pool = new UserPool(options.Region!, options.UserPoolId!);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Cognito: {e.Message}", e);
        }

        if (!options.BasePath.HasValue || options.BasePath.Value!.EndsWith('/'))
        {
            throw new InvalidOperationException($"Cognito: BasePath must be a path like /auth, not '{options.BasePath}'.");
        }

        CheckTransport(options, pool);
        var keys = options.Keys ?? LoadPems(options, pool);
        var live = options.LiveKeys;
        if (live is null && options.FollowKeyRotation && !options.UseDevelopmentPool)
        {
            // Redirects are not followed: keys come only from the configured address.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
            live = new LiveKeySet(keys ?? KeySet.Empty, [new(pool, options.JwksUri ?? pool.JwksUri)], http, new LiveKeySetOptions { RequireHttps = options.RequireHttpsMetadata }, options.TimeProvider);
        }

        if (live is not null)
        {
            var log = Logger();
            live.FetchFailed += (failed, error) => log.KeyFetchFailed(failed.UserPoolId, error.Message);
        }

        if (keys is null && live is null)
        {
            throw new InvalidOperationException(
                $"Cognito: no keys for user pool {pool.UserPoolId}: '{options.PemsPath}' does not exist and FollowKeyRotation is off. " +
                $"Run `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId}`, or turn FollowKeyRotation on.");
        }

        try
        {
            options.Auth = new CognitoAuth(new CognitoOptions
            {
                UserPools = [pool],
                ClientIds = [options.ClientId!, .. options.AdditionalClientIds.Where(id => id != options.ClientId).Distinct(StringComparer.Ordinal)],
                Keys = keys,
                LiveKeys = live,
                ClockSkew = options.ClockSkew,
                TimeProvider = options.TimeProvider,
            });
        }
        catch (Exception e) when (e is ArgumentException or KeySetException)
        {
            throw new InvalidOperationException($"Cognito: {e.Message}", e);
        }

        options.Pool = pool;
        options.RateLimiter = new BackchannelRateLimiter(options.BackchannelCallsPerClientPerMinute, options.BackchannelCallsPerSecond);
        options.Warnings = new WarningThrottle(options.TimeProvider);
        options.SpentStates = new SpentStates();
    }

    private ILogger Logger() =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Cognito.AspNet");

    /// <summary>
    /// docs/spec.md, "Limits and faults": the hosted UI domain (and so the token and revoke endpoints), the JWKS address and the
    /// callback URL are https, loopback aside, unless <see cref="CognitoCookiesOptions.RequireHttpsMetadata"/> is off.
    /// </summary>
    private void CheckTransport(CognitoCookiesOptions options, UserPool pool)
    {
        if (options.BackchannelTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Cognito: BackchannelTimeout must be positive, not {options.BackchannelTimeout}.");
        }

        if (options.BackchannelCallsPerClientPerMinute < 0 || options.BackchannelCallsPerSecond < 0)
        {
            throw new InvalidOperationException("Cognito: BackchannelCallsPerClientPerMinute and BackchannelCallsPerSecond must be 0 (no limit) or more.");
        }

        if (options.RefreshTokenGracePeriod < TimeSpan.Zero || options.RefreshTokenGracePeriod > TimeSpan.FromSeconds(60))
        {
            throw new InvalidOperationException($"Cognito: RefreshTokenGracePeriod must be between 0 and 60 s (the app client's RetryGracePeriodSeconds), not {options.RefreshTokenGracePeriod}.");
        }

        if (!options.RequireHttpsMetadata)
        {
            Logger().HttpsNotRequired(pool.UserPoolId);
            return;
        }

        var addresses = new List<(string Setting, string? Value)>
        {
            ("Cognito:JwksUri", options.JwksUri?.ToString()),
            ("Cognito:RedirectSignIn (REDIRECT_SIGN_IN)", options.RedirectSignIn),
        };
        if (!options.UseDevelopmentPool && !string.IsNullOrWhiteSpace(options.Domain))
        {
            addresses.Add(("Cognito:Domain (IDP_DOMAIN)", CognitoUris.DomainAddress(options)));
        }

        foreach (var (setting, value) in addresses)
        {
            if (value is { Length: > 0 } && (!Uri.TryCreate(value, UriKind.Absolute, out var address) || SecureTransport.Refusal(address, setting) is not null))
            {
                throw new InvalidOperationException(
                    $"Cognito: {setting} is '{value}', which is not https: codes, refresh tokens, the client secret and keys would travel unprotected. " +
                    "Use https (plain http is allowed only to loopback addresses), or set Cognito:RequireHttpsMetadata=false on a network you trust.");
            }
        }
    }

    private void UseDevelopmentPool(CognitoCookiesOptions options)
    {
        if (!environment.IsDevelopment() && !options.AllowDevelopmentPoolOutsideDevelopment)
        {
            throw new InvalidOperationException(
                "Cognito: the development user pool signs in anyone, so it runs only in the Development environment " +
                $"(this is '{environment.EnvironmentName}'). Configure a real user pool (USER_POOL_REGION, USER_POOL_ID, " +
                "USER_POOL_CLIENT_ID, IDP_DOMAIN) or set ASPNETCORE_ENVIRONMENT=Development.");
        }

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
        options.LiveKeys = null;
        options.Domain = null;
        options.RedirectSignIn = null;
        options.RedirectSignOut = null;
    }

    private static void CheckRequired(CognitoCookiesOptions options)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region))
        {
            missing.Add("Cognito:Region (USER_POOL_REGION)");
        }

        if (string.IsNullOrWhiteSpace(options.UserPoolId))
        {
            missing.Add("Cognito:UserPoolId (USER_POOL_ID)");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            missing.Add("Cognito:ClientId (USER_POOL_CLIENT_ID)");
        }

        if (string.IsNullOrWhiteSpace(options.Domain) && !options.BearerOnly)
        {
            missing.Add("Cognito:Domain (IDP_DOMAIN, the hosted UI domain)");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cognito: missing settings: {string.Join(", ", missing)}. Set them in the Cognito configuration section or as environment variables, " +
                "or set Cognito:UseDevelopmentPool=true to use the development user pool (Development environment only).");
        }
    }

    private KeySet? LoadPems(CognitoCookiesOptions options, UserPool pool)
    {
        var path = Path.IsPathRooted(options.PemsPath) ? options.PemsPath : Path.Combine(environment.ContentRootPath, options.PemsPath);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var keys = PemsFile.Load(path);
            return keys.KeysOf(pool).Count > 0 || options.FollowKeyRotation ? keys : throw new KeySetException(
                $"{path} has no keys for user pool {pool.UserPoolId}: run `cognito pems --region {pool.Region} --user-pool-id {pool.UserPoolId} --out {path}`.");
        }
        catch (KeySetException e)
        {
            throw new InvalidOperationException($"Cognito: {e.Message}", e);
        }
    }
}
