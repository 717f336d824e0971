using System.Security.Claims;
using Cognito.AspNet;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cognito.Bench;

/// <summary>
/// The app the load run drives (bench/load.sh): one Kestrel app, five endpoints — no authentication,
/// UseCognitoCookies with the Amplify cookies, AddCognitoBearer and AddJwtBearer with the same access
/// token as a bearer header, the framework's floor — plus the scenario's cookie header and token for the load tool.
/// </summary>
internal static class LoadApp
{
    public static async Task RunAsync(string[] args)
    {
        var port = args.Length > 1 && args[0] == "--port" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5099;
        var scenario = new Scenario();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        AddSchemes(builder.Services, scenario);

        var app = builder.Build();
        app.UseCognitoCookies(); // what an app calls: authentication, the /auth endpoints, authorization
        app.MapGet("/none", () => "ok");
        app.MapGet("/cognito", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization("cognito");
        app.MapGet("/bearer", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization("bearer");
        app.MapGet("/floor", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization("floor");
        app.MapGet("/jwt", (ClaimsPrincipal user) => user.FindFirst("username")!.Value).RequireAuthorization("jwt");
        app.MapGet("/scenario/cookie", () => scenario.Header);
        app.MapGet("/scenario/bearer", () => scenario.AccessToken);
        Console.WriteLine($"load app on http://127.0.0.1:{port}");
        await app.RunAsync();
    }

    /// <summary>The schemes and policies of the load app (and of HandlerBenchmarks): the Cognito cookie and bearer schemes, the floor, AddJwtBearer.</summary>
    public static void AddSchemes(IServiceCollection services, Scenario scenario)
    {
        services.AddAuthorization();
        services.AddAuthentication()
            .AddCognitoCookies(options =>
            {
                options.Region = scenario.Pool.Region;
                options.UserPoolId = scenario.Pool.UserPoolId;
                options.ClientId = scenario.Pool.ClientId;
                options.Domain = "login.example.invalid";
                options.Keys = scenario.Keys;
                options.FollowKeyRotation = false;
            })
            .AddCognitoBearer(options =>
            {
                options.Region = scenario.Pool.Region;
                options.UserPoolId = scenario.Pool.UserPoolId;
                options.ClientId = scenario.Pool.ClientId;
                options.Keys = scenario.Keys;
                options.FollowKeyRotation = false;
            })
            .AddScheme<AuthenticationSchemeOptions, FloorHandler>("floor", null)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = scenario.Pool.Issuer,
                    ValidateAudience = false, // Cognito access tokens carry client_id, not aud
                    IssuerSigningKey = new RsaSecurityKey(scenario.Pool.Key.ExportParameters(false)) { KeyId = scenario.Pool.Kid },
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy("cognito", p => p.AddAuthenticationSchemes(CognitoCookiesDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .AddPolicy("bearer", p => p.AddAuthenticationSchemes(CognitoCookiesDefaults.BearerScheme).RequireAuthenticatedUser())
            .AddPolicy("floor", p => p.AddAuthenticationSchemes("floor").RequireAuthenticatedUser())
            .AddPolicy("jwt", p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    }
}

/// <summary>
/// The framework's floor: an authentication handler that verifies nothing and returns a principal with
/// one name claim, behind the same authorization policy. No scheme can serve more requests/s than this.
/// </summary>
internal sealed class FloorHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "jane.doe@example.com")], Scheme.Name)),
            Scheme.Name)));
}
