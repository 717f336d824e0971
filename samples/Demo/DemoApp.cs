using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cognito.Demo;

/// <summary>The seed's example app in ASP.NET Core: a home page, an admin-only page and a JSON API.</summary>
public static class DemoApp
{
    /// <summary>
    /// Builds the app; <paramref name="customize"/> lets tests pin the clock, port and options, and
    /// <paramref name="developmentPool"/> choose the pool (by default: the development pool when no pool is configured).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<CognitoCookiesOptions>? cognito = null, bool? developmentPool = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // With the seed's environment variables (or a Cognito section) set, the real user pool is used;
        // with none, the development user pool (Development environment only).
        var configured = builder.Configuration["USER_POOL_ID"] ?? builder.Configuration["Cognito:UserPoolId"];
        // Pages with cookies, APIs with cookies or a bearer access token (Authorization: Bearer …).
        builder.Services.AddCognito(options => cognito?.Invoke(options));
        if (developmentPool ?? string.IsNullOrEmpty(configured))
        {
            builder.Services.AddCognitoDevelopmentPool();
        }
        builder.Services.AddAuthorizationBuilder().AddPolicy("admin", policy => policy.RequireRole("admin"));
        builder.Services.AddHealthChecks().AddCognito();
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseStatusCodePages(context => context.HttpContext.Response.StatusCode == 403 && !context.HttpContext.Request.Path.StartsWithSegments("/api")
            ? Pages.Forbidden(context.HttpContext).ExecuteAsync(context.HttpContext)
            : Task.CompletedTask);
        app.UseCognitoCookies();

        app.MapHealthChecks("/health");
        app.MapGet("/", Pages.Home);
        app.MapGet("/admin", Pages.Admin).RequireAuthorization("admin");
        app.MapGet("/users/{name}", Pages.Profile).RequireAuthorization();
        app.MapGet("/api/me", (HttpContext context) =>
        {
            // A cookie session has both tokens; a bearer token is an access token alone (a machine client has no username).
            if (context.GetCognitoTokens() is { } session)
            {
                return Results.Json(new { username = session.Username, sub = session.Sub, groups = session.Groups, expiresAt = session.ExpiresAt.ToUnixTimeSeconds() });
            }

            var user = context.User;
            return Results.Json(new
            {
                username = user.Identity?.Name,
                sub = user.FindFirst("sub")?.Value,
                clientId = user.FindFirst("client_id")?.Value,
                groups = user.FindAll("cognito:groups").Select(c => c.Value),
                scopes = user.FindAll("scope").Select(c => c.Value),
            });
        }).RequireAuthorization();
        app.MapGet("/api/orders", () => Results.Json(new[] { new { id = 1, item = "book" } }))
            .RequireAuthorization(policy => policy.RequireScope("orders/read"));

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var pool = string.IsNullOrEmpty(configured) ? "development user pool: sign in with any username; add the group 'admin' for /admin" : $"user pool {configured}";
            foreach (var address in addresses)
            {
                Console.WriteLine($"Cognito demo on {address} ({pool})");
            }
        });
        return app;
    }
}
