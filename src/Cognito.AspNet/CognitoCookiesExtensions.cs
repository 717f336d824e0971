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
        services.TryAddSingleton<CognitoRuntimes>();
        // Sign-outs are recorded in the app's IDistributedCache: in memory unless the app registers a
        // shared one (Redis, SQL Server), before or after this call.
        services.AddDistributedMemoryCache();
        services.TryAddSingleton(sp => new SignedOutSessions(
            sp.GetRequiredService<IDistributedCache>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<SignedOutSessions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CognitoCookiesOptions>, CognitoSchemePostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CognitoBearerOptions>, CognitoSchemePostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoCookiesOptions>, CognitoSchemeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CognitoBearerOptions>, CognitoSchemeValidator>());
    }

    /// <summary>
    /// Adds the bearer scheme (<see cref="CognitoCookiesDefaults.BearerScheme"/>) for APIs called with
    /// <c>Authorization: Bearer &lt;access token&gt;</c>, with its own options (<see cref="CognitoBearerOptions"/>,
    /// bound from the same <c>Cognito</c> section and the seed's pool variables; no hosted UI domain needed)
    /// and events (<see cref="CognitoBearerEvents"/>).
    /// </summary>
    public static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder) =>
        builder.AddCognitoBearer(CognitoCookiesDefaults.BearerScheme, configure: null);

    /// <inheritdoc cref="AddCognitoBearer(AuthenticationBuilder)"/>
    public static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder, Action<CognitoBearerOptions>? configure) =>
        builder.AddCognitoBearer(CognitoCookiesDefaults.BearerScheme, configure);

    /// <summary>Adds the bearer scheme under a name of your choice.</summary>
    public static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<CognitoBearerOptions>? configure) =>
        builder.AddCognitoBearer(authenticationScheme, configure, verifyAs: null);

    /// <summary>The bearer scheme; with <paramref name="verifyAs"/>, its pool, clients and keys are that cookie scheme's (<c>AddCognito()</c>).</summary>
    private static AuthenticationBuilder AddCognitoBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<CognitoBearerOptions>? configure, string? verifyAs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddConfiguration(services, authenticationScheme);
        var options = services.AddOptions<CognitoBearerOptions>(authenticationScheme).Configure<IConfiguration>(Bind);
        if (verifyAs is not null)
        {
            options.Configure<IOptionsMonitor<CognitoCookiesOptions>>((bearer, cookies) => VerifierSettings.Copy(cookies.Get(verifyAs), bearer));
        }

        options.ValidateOnStart();
        return builder.AddScheme<CognitoBearerOptions, CognitoBearerHandler>(authenticationScheme, configure);
    }

    /// <summary>
    /// Pages with cookies and APIs with bearer tokens in one line: the cookie scheme, the bearer scheme,
    /// and a default scheme (<see cref="CognitoCookiesDefaults.PolicyScheme"/>) that picks bearer for a
    /// request with an <c>Authorization: Bearer</c> header and cookies otherwise; and authorization.
    /// <paramref name="configure"/> sets up the cookie scheme; the bearer scheme verifies with its pool,
    /// app clients and keys, has its own events, and <paramref name="configureBearer"/> (applied after it
    /// took the cookie scheme's pool, clients and keys) sets them.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The other AddCognito extends IHealthChecksBuilder: no call can be ambiguous.")]
    public static AuthenticationBuilder AddCognito(this IServiceCollection services, Action<CognitoCookiesOptions>? configure = null, Action<CognitoBearerOptions>? configureBearer = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthorization();
        return services.AddAuthentication(CognitoCookiesDefaults.PolicyScheme)
            .AddCognitoCookies(configure)
            .AddCognitoBearer(CognitoCookiesDefaults.BearerScheme, configureBearer, verifyAs: CognitoCookiesDefaults.AuthenticationScheme)
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
            sp => new CognitoHealthCheck(sp.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>(), sp.GetRequiredService<CognitoRuntimes>(), authenticationScheme),
            failureStatus: null,
            tags));
    }

    /// <summary>The bearer scheme's settings from the <c>Cognito</c> section, and the seed's pool variables (the section wins).</summary>
    private static void Bind(CognitoBearerOptions options, IConfiguration configuration)
    {
        SettingsBinder.Bind(configuration.GetSection(CognitoCookiesDefaults.ConfigurationSection), options);
        options.Region ??= Env(configuration, "USER_POOL_REGION");
        options.UserPoolId ??= Env(configuration, "USER_POOL_ID");
        options.ClientId ??= Env(configuration, "USER_POOL_CLIENT_ID");
    }

    private static string? Env(IConfiguration configuration, string name) => configuration[name] is { Length: > 0 } value ? value : null;

    /// <summary>The seed's environment variables, under the <c>Cognito</c> section's keys (the section wins).</summary>
    private static void Bind(CognitoCookiesOptions options, IConfiguration configuration)
    {
        SettingsBinder.Bind(configuration.GetSection(CognitoCookiesDefaults.ConfigurationSection), options);
        options.Region ??= Env(configuration, "USER_POOL_REGION");
        options.UserPoolId ??= Env(configuration, "USER_POOL_ID");
        options.ClientId ??= Env(configuration, "USER_POOL_CLIENT_ID");
        options.ClientSecret ??= Env(configuration, "USER_POOL_CLIENT_SECRET");
        options.CookieDomain ??= Env(configuration, "AUTH_COOKIE_DOMAIN");
        options.Domain ??= Env(configuration, "IDP_DOMAIN");
        options.RedirectSignIn ??= Env(configuration, "REDIRECT_SIGN_IN");
        options.RedirectSignOut ??= Env(configuration, "REDIRECT_SIGN_OUT");
    }
}
