using Cognito.AspNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The adapter's configuration along JwtBearer's lines: defaults in PostConfigure, checks in an
/// IValidateOptions that honours the options name, and the verifier built by a factory that lets
/// schemes configured alike share one.
/// </summary>
public sealed class VerifierFactoryTests
{
    private static WebApplication App(Action<WebApplicationBuilder> register, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        var pems = Path.Combine(Directory.CreateTempSubdirectory("cognito-factory-").FullName, "pems.json");
        File.WriteAllText(pems, TestPool.PemsJson(TestPool.Default));
        builder.Configuration.AddInMemoryCollection(settings ?? new()
        {
            ["Cognito:Region"] = TestPool.Default.Region,
            ["Cognito:UserPoolId"] = TestPool.Default.UserPoolId,
            ["Cognito:ClientId"] = TestPool.Default.ClientId,
            ["Cognito:Domain"] = "login.example.com",
            ["Cognito:PemsPath"] = pems,
            ["Cognito:FollowKeyRotation"] = "false",
        });
        register(builder);
        return builder.Build();
    }

    [Fact]
    public void The_cookie_and_bearer_schemes_of_AddCognito_share_one_verifier()
    {
        using var app = App(b => b.Services.AddCognito());
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>();
        var runtimes = app.Services.GetRequiredService<CognitoRuntimes>();
        var cookies = runtimes.Of(monitor.Get(CognitoCookiesDefaults.AuthenticationScheme));
        var bearer = runtimes.VerifierOf(app.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get(CognitoCookiesDefaults.BearerScheme));
        Assert.NotNull(cookies.Auth);
        Assert.Same(cookies.Auth, bearer);
        // The back channel's guards are the cookie scheme's alone: a bearer scheme never calls the token endpoint.
        Assert.DoesNotContain(typeof(CognitoBearerOptions).GetProperties(), p => p.Name.StartsWith("Backchannel", StringComparison.Ordinal));
    }

    [Fact]
    public void Schemes_configured_differently_get_their_own_verifiers()
    {
        using var app = App(b => b.Services.AddAuthentication()
            .AddCognitoCookies()
            .AddCognitoBearer("Mobile", o => o.AdditionalClientIds.Add("mobileclient000000000000")));
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>();
        var runtimes = app.Services.GetRequiredService<CognitoRuntimes>();
        var web = runtimes.Of(monitor.Get(CognitoCookiesDefaults.AuthenticationScheme)).Auth;
        var mobile = runtimes.VerifierOf(app.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get("Mobile"));
        Assert.NotSame(web, mobile);
        Assert.Equal([TestPool.Default.ClientId, "mobileclient000000000000"], mobile.Options.ClientIds);
    }

    [Fact]
    public void Options_of_another_name_are_left_alone()
    {
        using var app = App(b => b.Services.AddCognitoCookies());
        var unnamed = app.Services.GetRequiredService<IOptions<CognitoCookiesOptions>>().Value; // no scheme has this name
        Assert.Null(unnamed.ClientId); // and not checked: the check would have refused it
    }

    [Fact]
    public void A_broken_scheme_fails_validation_with_its_name_and_what_to_fix()
    {
        using var app = App(b => b.Services.AddAuthentication().AddCognitoCookies().AddCognitoBearer("Partners", o => o.SignOutCheckInterval = TimeSpan.FromHours(1)));
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>();
        Assert.NotNull(app.Services.GetRequiredService<CognitoRuntimes>().Of(monitor.Get(CognitoCookiesDefaults.AuthenticationScheme)).Auth);
        var e = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptionsMonitor<CognitoBearerOptions>>().Get("Partners"));
        Assert.Equal("Partners", e.OptionsName);
        Assert.Equal(["Cognito: SignOutCheckInterval must be between 0 (read the sign-out store on every request) and 5 minutes, not 01:00:00."], e.Failures);
        // The cookie scheme's own limits stop a cookie scheme the same way.
        using var cookies = App(b => b.Services.AddAuthentication().AddCognitoCookies("Web", o => o.BackchannelTimeout = TimeSpan.Zero));
        var cookieFailure = Assert.Throws<OptionsValidationException>(() => cookies.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>().Get("Web"));
        Assert.Equal(["Cognito: BackchannelTimeout must be positive, not 00:00:00."], cookieFailure.Failures);
    }

    [Fact]
    public async Task A_broken_configuration_stops_the_app_at_start_up()
    {
        await using var app = App(b => b.Services.AddCognitoCookies(), new() { ["Cognito:Region"] = "eu-west-1" });
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Cognito:UserPoolId (USER_POOL_ID)", e.Message);
    }
}
