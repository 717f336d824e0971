using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cognito.AspNet;

/// <summary>Registration in ASP.NET Core's conventions, like <c>AddJwtBearer</c>.</summary>
public static class CognitoCookiesExtensions
{
    /// <summary>
    /// Adds authentication with the Cognito cookies scheme as the default, and authorization.
    /// Options come from the <c>Cognito</c> configuration section, the seed's environment variables,
    /// then <paramref name="configure"/>.
    /// </summary>
    public static AuthenticationBuilder AddCognitoCookies(this IServiceCollection services, Action<CognitoCookiesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthorization();
        return services.AddAuthentication(CognitoCookiesDefaults.AuthenticationScheme).AddCognitoCookies(configure);
    }

    /// <summary>Adds the Cognito cookies scheme (<see cref="CognitoCookiesDefaults.AuthenticationScheme"/>).</summary>
    public static AuthenticationBuilder AddCognitoCookies(this AuthenticationBuilder builder, Action<CognitoCookiesOptions>? configure = null) =>
        builder.AddCognitoCookies(CognitoCookiesDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the Cognito cookies scheme under a name of your choice.</summary>
    public static AuthenticationBuilder AddCognitoCookies(this AuthenticationBuilder builder, string authenticationScheme, Action<CognitoCookiesOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // The timeout is per call (BackchannelTimeout); the handler never follows a redirect.
        services.AddHttpClient(CognitoTokenClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CognitoTokenClient.CreateHandler);
        services.TryAddSingleton<CognitoTokenClient>();
        services.TryAddSingleton(sp => new RefreshCoordinator(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<SessionRefresher>();
        AddConfiguration(services, authenticationScheme);
        services.AddOptions<CognitoCookiesOptions>(authenticationScheme).Configure<IConfiguration>(Bind).ValidateOnStart();
        return builder.AddScheme<CognitoCookiesOptions, CognitoCookiesHandler>(authenticationScheme, configure);
    }

    /// <summary>Options of a Cognito scheme: defaults, checks at start-up, the verifier (shared by schemes configured alike).</summary>
    private static void AddConfiguration(IServiceCollection services, string authenticationScheme)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(CognitoSchemes))?.ImplementationInstance is not CognitoSchemes schemes)
        {
            schemes = new CognitoSchemes();
            services.AddSingleton(schemes);
        }

        schemes.Add(authenticationScheme);
        services.TryAddSingleton<CognitoVerifierFactory>();
        // Sign-outs are recorded in the app's IDistributedCache: in memory unless the app registers a
        // shared one (Redis, SQL Server), before or after this call.
        services.AddDistributedMemoryCache();
        services.TryAddSingleton(sp => new SignedOutSessions(
            sp.GetRequiredService<IDistributedCache>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<SignedOutSessions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CognitoCookiesOptions>, CognitoCookiesPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoCookiesOptions>, CognitoCookiesOptionsValidator>());
    }

    /// <summary>
    /// Adds the bearer scheme (<see cref="CognitoCookiesDefaults.BearerScheme"/>) for APIs called with
    /// <c>Authorization: Bearer &lt;access token&gt;</c>, on the same options as the cookie scheme (the
    /// <c>Cognito</c> section and the seed's variables; no hosted UI domain needed).
    /// </summary>
    public static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder, Action<CognitoCookiesOptions>? configure = null) =>
        builder.AddCognitoBearer(CognitoCookiesDefaults.BearerScheme, configure);

    /// <summary>Adds the bearer scheme under a name of your choice.</summary>
    public static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<CognitoCookiesOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddConfiguration(services, authenticationScheme);
        services.AddOptions<CognitoCookiesOptions>(authenticationScheme).Configure<IConfiguration>(Bind).Configure(o => o.BearerOnly = true).ValidateOnStart();
        return builder.AddScheme<CognitoCookiesOptions, CognitoBearerHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Pages with cookies and APIs with bearer tokens in one line: the cookie scheme, the bearer scheme,
    /// and a default scheme (<see cref="CognitoCookiesDefaults.PolicyScheme"/>) that picks bearer for a
    /// request with an <c>Authorization: Bearer</c> header and cookies otherwise; and authorization.
    /// <paramref name="configure"/> applies to both schemes.
    /// </summary>
    public static AuthenticationBuilder AddCognito(this IServiceCollection services, Action<CognitoCookiesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthorization();
        return services.AddAuthentication(CognitoCookiesDefaults.PolicyScheme)
            .AddCognitoCookies(configure)
            .AddCognitoBearer(configure)
            .AddPolicyScheme(CognitoCookiesDefaults.PolicyScheme, "Cognito cookies or bearer token", policy =>
                policy.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? CognitoCookiesDefaults.BearerScheme
                        : CognitoCookiesDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// Wires the scheme into the pipeline: what its <see cref="CognitoCookiesOptions.Endpoints"/> serve in
    /// the app (the development pool's endpoints), authentication, the sign-in/sign-out/session endpoints
    /// under <see cref="CognitoCookiesOptions.BasePath"/>, and authorization. The scheme's options are
    /// checked here, so a broken configuration stops the app as it builds its pipeline.
    /// </summary>
    public static IApplicationBuilder UseCognitoCookies(this IApplicationBuilder app, string authenticationScheme = CognitoCookiesDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.ApplicationServices.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>().Get(authenticationScheme).Endpoints?.Configure(app);
        app.UseAuthentication();
        app.UseMiddleware<CognitoEndpointsMiddleware>(authenticationScheme);
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Adds a health check of the scheme's keys (<c>services.AddHealthChecks().AddCognito()</c>):
    /// Degraded when the last JWKS fetch of a pool failed, Unhealthy when a pool has no usable key.
    /// </summary>
    public static IHealthChecksBuilder AddCognito(this IHealthChecksBuilder builder, string name = "cognito", string authenticationScheme = CognitoCookiesDefaults.AuthenticationScheme, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new CognitoHealthCheck(sp.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>(), authenticationScheme),
            failureStatus: null,
            tags));
    }

    /// <summary>The seed's environment variables, under the <c>Cognito</c> section's keys (the section wins).</summary>
    private static void Bind(CognitoCookiesOptions options, IConfiguration configuration)
    {
        SettingsBinder.Bind(configuration.GetSection(CognitoCookiesDefaults.ConfigurationSection), options);
        string? Env(string name) => configuration[name] is { Length: > 0 } value ? value : null;
        options.Region ??= Env("USER_POOL_REGION");
        options.UserPoolId ??= Env("USER_POOL_ID");
        options.ClientId ??= Env("USER_POOL_CLIENT_ID");
        options.ClientSecret ??= Env("USER_POOL_CLIENT_SECRET");
        options.CookieDomain ??= Env("AUTH_COOKIE_DOMAIN");
        options.Domain ??= Env("IDP_DOMAIN");
        options.RedirectSignIn ??= Env("REDIRECT_SIGN_IN");
        options.RedirectSignOut ??= Env("REDIRECT_SIGN_OUT");
    }
}
