using System.Net;
using System.Security.Claims;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cognito.Conformance.AspNet;

/// <summary>docs/spec.md, "ASP.NET Core adapter": registration, options from configuration and the seed's variables, start-up checks, cookie attributes, claims.</summary>
public sealed class ConfigurationTests
{
    private const string Prefix = "CognitoIdentityServiceProvider." + DevelopmentUserPool.ClientId;

    private static CognitoCookiesOptions Options(Dictionary<string, string?> settings, Action<CognitoCookiesOptions>? configure = null, string environment = "Production", bool developmentPool = false, bool allowOutsideDevelopment = false) =>
        Build(settings, configure, environment, developmentPool, allowOutsideDevelopment).Options;

    /// <summary>The scheme's checked options and the runtime built from them (the options hold settings only).</summary>
    private static (CognitoCookiesOptions Options, CognitoRuntime Runtime) Build(Dictionary<string, string?> settings, Action<CognitoCookiesOptions>? configure = null, string environment = "Production", bool developmentPool = false, bool allowOutsideDevelopment = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCognitoCookies(configure);
        if (developmentPool)
        {
            builder.Services.AddCognitoDevelopmentPool(o => o.AllowOutsideDevelopment = allowOutsideDevelopment);
        }

        using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>().Get(CognitoCookiesDefaults.AuthenticationScheme);
        return (options, app.Services.GetRequiredService<CognitoRuntimes>().Of(options));
    }

    private static string PemsFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cognito-config-").FullName, "pems.json");
        File.WriteAllText(path, TestPool.PemsJson(TestPool.Default));
        return path;
    }

    [Fact]
    public void The_seed_environment_variables_configure_the_scheme()
    {
        var pool = TestPool.Default;
        var (options, runtime) = Build(new()
        {
            ["USER_POOL_REGION"] = pool.Region,
            ["USER_POOL_ID"] = pool.UserPoolId,
            ["USER_POOL_CLIENT_ID"] = pool.ClientId,
            ["IDP_DOMAIN"] = "myapp.auth.eu-west-1.amazoncognito.com",
            ["AUTH_COOKIE_DOMAIN"] = "example.com",
            ["REDIRECT_SIGN_IN"] = "https://example.com/auth/callback",
            ["REDIRECT_SIGN_OUT"] = "https://example.com/",
            ["USER_POOL_CLIENT_SECRET"] = "s3cret",
            ["Cognito:PemsPath"] = PemsFile(),
        });
        Assert.Equal(pool.UserPoolId, runtime.Auth.Options.UserPools[0].UserPoolId);
        Assert.Equal(pool.ClientId, runtime.Auth.Options.ClientId);
        Assert.Equal("example.com", options.CookieDomain);
        Assert.Equal("s3cret", options.ClientSecret);
        Assert.Equal("https://example.com/", options.RedirectSignOut);
        Assert.NotNull(runtime.Auth.Options.LiveKeys);
    }

    [Fact]
    public void The_Cognito_section_wins_over_the_environment_variables()
    {
        var pool = TestPool.Default;
        var (options, runtime) = Build(new()
        {
            ["USER_POOL_REGION"] = "us-east-1",
            ["USER_POOL_ID"] = "us-east-1_Other",
            ["Cognito:Region"] = pool.Region,
            ["Cognito:UserPoolId"] = pool.UserPoolId,
            ["Cognito:ClientId"] = pool.ClientId,
            ["Cognito:Domain"] = "https://login.example.com",
            ["Cognito:CookieHttpOnly"] = "false",
            ["Cognito:FollowKeyRotation"] = "false",
            ["Cognito:PemsPath"] = PemsFile(),
        });
        Assert.Equal(pool.UserPoolId, runtime.Pool.UserPoolId);
        Assert.False(options.HttpOnly);
        Assert.Null(runtime.Auth.Options.LiveKeys);
    }

    [Fact]
    public void Missing_settings_stop_the_app_at_start_up_naming_them()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Options(new() { ["USER_POOL_REGION"] = "eu-west-1" }));
        Assert.Contains("USER_POOL_ID", e.Message);
        Assert.Contains("USER_POOL_CLIENT_ID", e.Message);
        Assert.Contains("IDP_DOMAIN", e.Message);
        Assert.DoesNotContain("USER_POOL_REGION", e.Message);
    }

    [Fact]
    public void A_pool_id_of_another_region_stops_the_app()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Options(new()
        {
            ["USER_POOL_REGION"] = "eu-west-1", ["USER_POOL_ID"] = "us-east-1_Abc", ["USER_POOL_CLIENT_ID"] = "abc", ["IDP_DOMAIN"] = "x.example",
        }));
        Assert.Contains("does not belong to region", e.Message);
    }

    [Fact]
    public void Without_pems_json_and_without_rotation_the_app_says_how_to_get_keys()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Options(new()
        {
            ["USER_POOL_REGION"] = "eu-west-1", ["USER_POOL_ID"] = "eu-west-1_Abc", ["USER_POOL_CLIENT_ID"] = "abc", ["IDP_DOMAIN"] = "x.example",
            ["Cognito:FollowKeyRotation"] = "false", ["Cognito:PemsPath"] = "/nonexistent/pems.json",
        }));
        Assert.Contains("cognito pems --region eu-west-1 --user-pool-id eu-west-1_Abc", e.Message);
    }

    [Theory]
    [InlineData("IDP_DOMAIN", "http://myapp.auth.eu-west-1.amazoncognito.com", "Cognito:Domain (IDP_DOMAIN)")]
    [InlineData("Cognito:JwksUri", "http://keys.example.invalid/jwks.json", "Cognito:JwksUri")]
    [InlineData("REDIRECT_SIGN_IN", "http://app.example.invalid/auth/callback", "Cognito:RedirectSignIn (REDIRECT_SIGN_IN)")]
    public void Plain_http_to_another_host_stops_the_app_at_start_up(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["USER_POOL_REGION"] = "eu-west-1", ["USER_POOL_ID"] = "eu-west-1_Abc", ["USER_POOL_CLIENT_ID"] = "abc", ["IDP_DOMAIN"] = "x.example",
            [key] = value,
        };
        var e = Assert.Throws<OptionsValidationException>(() => Options(settings));
        Assert.Equal(
            $"Cognito: {named} is '{value}{(key == "IDP_DOMAIN" ? "/" : "")}', which is not https: codes, refresh tokens, the client secret and keys would travel unprotected. " +
            "Use https (plain http is allowed only to loopback addresses), or set Cognito:RequireHttpsMetadata=false on a network you trust.",
            e.Message);

        // The explicit opt-out starts the app.
        settings["Cognito:RequireHttpsMetadata"] = "false";
        Assert.NotNull(Build(settings).Runtime.Auth);
    }

    [Fact]
    public void Loopback_http_and_https_start_and_the_back_channel_has_a_positive_timeout()
    {
        var settings = new Dictionary<string, string?>
        {
            ["USER_POOL_REGION"] = "eu-west-1", ["USER_POOL_ID"] = "eu-west-1_Abc", ["USER_POOL_CLIENT_ID"] = "abc", ["IDP_DOMAIN"] = "http://127.0.0.1:9000",
            ["Cognito:JwksUri"] = "http://localhost:9001/jwks.json", ["REDIRECT_SIGN_IN"] = "https://app.example/auth/callback",
        };
        var options = Options(settings);
        Assert.True(options.RequireHttpsMetadata);
        Assert.Equal(TimeSpan.FromSeconds(10), options.BackchannelTimeout);
        settings["Cognito:BackchannelTimeout"] = "00:00:00";
        Assert.Equal("Cognito: BackchannelTimeout must be positive, not 00:00:00.", Assert.Throws<OptionsValidationException>(() => Options(settings)).Message);
    }

    [Fact]
    public void The_production_package_holds_no_development_pool_and_does_not_depend_on_IdentityModel()
    {
        // Issue 25, item 1: the development pool is the package Cognito.AspNet.Development.
        var production = typeof(CognitoCookiesOptions).Assembly;
        Assert.DoesNotContain(production.GetTypes(), t => t.Namespace?.StartsWith("Cognito.AspNet.Development", StringComparison.Ordinal) == true || t.Name.Contains("Development", StringComparison.Ordinal));
        Assert.DoesNotContain(production.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.IdentityModel", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(CognitoCookiesOptions).GetProperties(), p => p.Name.Contains("Development", StringComparison.Ordinal));
        Assert.Equal("Cognito.AspNet.Development", typeof(DevelopmentUserPool).Assembly.GetName().Name);
    }

    [Fact]
    public void The_development_package_ships_no_test_knobs_and_the_core_no_fetch_counter()
    {
        // Issue 25, item 1: counters and fault injection live in tests/TestKit (PoolProbe), not in shipped code.
        const System.Reflection.BindingFlags All = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static;
        string[] knobs = ["TokenLatency", "TokenFailureRate", "TokenRequests", "RefreshRequests", "RevokeRequests", "CountToken", "CountRevoke", "FetchCount"];
        foreach (var type in typeof(DevelopmentUserPool).Assembly.GetTypes().Append(typeof(LiveKeySet)))
        {
            Assert.DoesNotContain(type.GetMembers(All), m => knobs.Contains(m.Name));
        }
    }

    [Fact]
    public void The_options_hold_settings_only_and_the_runtime_is_built_beside_them_after_every_configuration_step()
    {
        // Issue 25, item 2: no runtime slot in the options (the check changes nothing), the runtime built on first use.
        const System.Reflection.BindingFlags Hidden = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        Assert.Equal(["HttpOnly"], typeof(CognitoCookiesOptions).GetProperties(Hidden).Select(p => p.Name));
        Assert.False(typeof(CognitoCookiesOptions).GetProperty("HttpOnly", Hidden)!.CanWrite);
        Assert.Empty(typeof(CognitoBearerOptions).GetProperties(Hidden));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cognito:Region"] = TestPool.Default.Region,
            ["Cognito:UserPoolId"] = TestPool.Default.UserPoolId,
            ["Cognito:ClientId"] = TestPool.Default.ClientId,
            ["Cognito:Domain"] = "login.example.com",
            ["Cognito:PemsPath"] = PemsFile(),
        });
        builder.Services.AddCognito();
        // A step registered after AddCognito still counts: the runtime is built from the finished options.
        builder.Services.PostConfigure<CognitoCookiesOptions>(CognitoCookiesDefaults.AuthenticationScheme, o => o.AdditionalClientIds.Add("lateclient00000000000000"));
        using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>().Get(CognitoCookiesDefaults.AuthenticationScheme);
        var runtimes = app.Services.GetRequiredService<CognitoRuntimes>();
        Assert.Same(runtimes.Of(options), runtimes.Of(options));
        Assert.Equal([TestPool.Default.ClientId, "lateclient00000000000000"], runtimes.Of(options).Auth.Options.ClientIds);
        var bearer = app.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get(CognitoCookiesDefaults.BearerScheme);
        Assert.Same(runtimes.Of(options).Auth, runtimes.VerifierOf(bearer)); // AddCognito's bearer verifies as the cookie scheme does
    }

    [Fact]
    public void A_bearer_scheme_alone_verifies_the_development_pools_tokens()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.Sources.Clear();
        builder.Services.AddAuthentication(CognitoCookiesDefaults.BearerScheme).AddCognitoBearer();
        builder.Services.AddCognitoDevelopmentPool();
        using var app = builder.Build();
        var bearer = app.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get(CognitoCookiesDefaults.BearerScheme);
        var auth = app.Services.GetRequiredService<CognitoRuntimes>().VerifierOf(bearer);
        Assert.Equal(DevelopmentUserPool.UserPoolId, auth.Options.UserPools[0].UserPoolId);
        Assert.Equal([DevelopmentUserPool.ClientId, DevelopmentUserPool.MachineClientId], auth.Options.ClientIds);

        // And outside Development it refuses to start, as the cookie scheme does.
        var production = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        production.Configuration.Sources.Clear();
        production.Services.AddAuthentication(CognitoCookiesDefaults.BearerScheme).AddCognitoBearer();
        production.Services.AddCognitoDevelopmentPool();
        using var refused = production.Build();
        var e = Assert.Throws<OptionsValidationException>(() => refused.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get(CognitoCookiesDefaults.BearerScheme));
        Assert.Contains(e.Failures, f => f.Contains("Development environment", StringComparison.Ordinal));
    }

    [Fact]
    public void The_core_grants_its_internals_to_no_shipped_package()
    {
        // Issue 25, item 2: the adapters and the CLI use the core's public API only (tests and the bench keep theirs).
        var granted = typeof(CognitoAuth).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToArray();
        Assert.NotEmpty(granted);
        Assert.All(granted, name => Assert.Contains(name, new[] { "Cognito.Properties", "Cognito.Conformance", "Cognito.Bench" }));
    }

    [Fact]
    public void The_development_pool_refuses_to_run_outside_Development()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Options(new(), developmentPool: true));
        Assert.Contains("Development environment", e.Message);
        Assert.Equal(DevelopmentUserPool.UserPoolId, Build(new(), environment: "Development", developmentPool: true).Runtime.Pool.UserPoolId);
        Assert.Equal(DevelopmentUserPool.UserPoolId, Build(new(), developmentPool: true, allowOutsideDevelopment: true).Runtime.Pool.UserPoolId);
    }

    [Fact]
    public void The_development_pool_id_can_never_be_a_real_one()
    {
        // Real pools live in AWS regions (xx-xxxx-N); "local" is none.
        Assert.DoesNotMatch(@"^[a-z]{2}-[a-z]+-\d$", DevelopmentUserPool.Region);
        Assert.StartsWith("https://cognito-idp.local.amazonaws.com/", new UserPool(DevelopmentUserPool.Region, DevelopmentUserPool.UserPoolId).Issuer);
    }

    [Fact]
    public async Task HttpOnly_can_be_turned_off_for_Amplify_in_the_browser()
    {
        await using var server = await DemoServer.StartAsync(o => o.BrowserAmplify = true);
        using var browser = server.NewClient();
        var callback = await browser.SignInAsync("jane");
        var cookies = callback.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, cookies.Length);
        Assert.All(cookies, c => Assert.DoesNotContain("httponly", c));
    }

    [Fact]
    public async Task Cookie_Domain_and_Path_are_honoured_on_write_and_on_delete()
    {
        await using var server = await DemoServer.StartAsync(o =>
        {
            o.CookieDomain = "app.example.test";
            o.CookiePath = "/shop";
            o.CookieSecure = CookieSecurePolicy.Always;
            o.CookieSameSite = SameSiteMode.Strict;
        });
        using var browser = server.NewClient();
        var callback = await browser.SignInAsync("jane");
        var written = callback.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, written.Length);
        Assert.All(written, c =>
        {
            Assert.Contains("domain=app.example.test", c);
            Assert.Contains("path=/shop", c);
            Assert.Contains("secure", c);
            Assert.Contains("samesite=strict", c);
        });

        // The browser would send them back; send them by hand and sign out.
        var header = string.Join("; ", written.Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        request.Headers.Add("Cookie", header + "; unrelated=1");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        var logout = await http.SendAsync(request);
        var deleted = logout.Headers.GetValues("Set-Cookie").ToArray();
        Assert.Equal(5, deleted.Length);
        Assert.All(deleted, c =>
        {
            Assert.StartsWith(Prefix, c);
            Assert.Contains("domain=app.example.test", c);
            Assert.Contains("path=/shop", c);
            Assert.Contains("expires=Thu, 01 Jan 1970", c);
        });
        Assert.Equal(1, server.Probe.RevokeRequests);
    }

    [Fact]
    public async Task A_client_secret_is_sent_with_HTTP_Basic()
    {
        await using var server = await DemoServer.StartAsync();
        server.Pool.ClientSecret = "dev-secret";
        await using var withSecret = await DemoServer.StartAsync(o => o.ClientSecret = "dev-secret");
        withSecret.Pool.ClientSecret = "dev-secret";
        using (var browser = withSecret.NewClient())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("jane")).StatusCode);
            Assert.Equal("jane", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        }

        // The pool requires the secret; an app without it cannot exchange the code.
        server.Pool.ClientSecret = "dev-secret";
        using var without = server.NewClient();
        var refused = await without.SignInAsync("jane");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("invalid_client", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Claims_map_sub_username_groups_scopes_email_and_custom_attributes()
    {
        var pool = TestPool.Default;
        var id = pool.IdClaims("jane", groups: ["admin", "staff"]);
        id["custom:tenant"] = "acme";
        id["custom:level"] = 3;
        var tokens = Verdict.Accepted(pool.Auth().FromTokens(pool.Sign(id), pool.Sign(pool.AccessClaims("jane", groups: ["admin", "staff"]))));
        var principal = new ClaimsPrincipal(CognitoClaims.Identity(tokens, "CognitoCookies"));
        Assert.Equal("jane", principal.Identity!.Name);
        Assert.Equal(tokens.Sub, principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.True(principal.IsInRole("admin"));
        Assert.True(principal.IsInRole("staff"));
        Assert.False(principal.IsInRole("root"));
        Assert.Equal(["openid", "email"], principal.FindAll("scope").Select(c => c.Value));
        Assert.Equal("jane.doe@example.com", principal.FindFirstValue(ClaimTypes.Email));
        Assert.Equal("acme", principal.FindFirstValue("custom:tenant"));
        Assert.Equal("3", principal.FindFirstValue("custom:level"));
    }

    [Fact]
    public async Task Scopes_are_usable_in_policies()
    {
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        await browser.SignInAsync("jane");
        var session = browser.Cookies.GetCookieHeader(server.BaseAddress);
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [server.Pool.Pool], ClientId = DevelopmentUserPool.ClientId, Keys = server.Pool.Keys, TimeProvider = server.Clock });
        var principal = new ClaimsPrincipal(CognitoClaims.Identity(Verdict.Accepted(auth.FromCookieHeader(session)), "CognitoCookies"));
        Assert.True(principal.HasClaim("scope", "openid"));
    }

    [Fact]
    public async Task The_browser_Amplify_token_page_waits_for_the_session_then_navigates_on()
    {
        await using var server = await DemoServer.StartAsync(o => o.BrowserAmplify = true);
        using var browser = server.NewClient();
        var page = await browser.PageAsync("/auth/token?returnUrl=/admin");
        Assert.Contains("fetch(\"session\"", page);
        Assert.Contains("auth_sync_key", page);
        Assert.Contains("location.replace(\"/admin\")", page);
        var evil = await browser.PageAsync("/auth/token?returnUrl=https://evil.example");
        Assert.Contains("location.replace(\"/\")", evil);
    }
}
