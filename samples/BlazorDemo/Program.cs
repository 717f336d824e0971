using Cognito.AspNet;
using Cognito.AspNet.Development;
using Cognito.BlazorDemo.Components;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// The demo's pages as a Blazor Web App on the Cognito cookie session: a static page, an Interactive Server
// page and a WebAssembly page, all following sign-in, sign-out, refresh and expiry.
var builder = WebApplication.CreateBuilder(args);
var configured = builder.Configuration["USER_POOL_ID"] ?? builder.Configuration["Cognito:UserPoolId"];
builder.Services.AddCognito();
if (string.IsNullOrEmpty(configured))
{
    builder.Services.AddCognitoDevelopmentPool();
}

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents()
    .AddCognitoBlazor(options =>
    {
        // BlazorDemo:RevalidationInterval (the tests shorten it); the library's default is 1 minute.
        if (builder.Configuration["BlazorDemo:RevalidationInterval"] is { } interval)
        {
            options.RevalidationInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);
        }
    });

var app = builder.Build();
if (string.IsNullOrEmpty(configured) && builder.Configuration["BlazorDemo:TokenLifetime"] is { } lifetime)
{
    // Short-lived tokens from the development pool, to watch refresh and expiry happen.
    app.Services.GetRequiredService<DevelopmentUserPool>().TokenLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture);
}

app.UseCognitoCookies();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapGet("/api/me", (HttpContext context) => context.GetCognitoTokens() is { } session
    ? Results.Json(new { username = session.Username, sub = session.Sub, groups = session.Groups })
    : Results.Unauthorized()).RequireAuthorization();
// A state-changing API for the WebAssembly page: only this site's scripts (the header CognitoApiHandler sends).
app.MapPost("/api/notes", (HttpContext context) => Results.Json(new { saved = true, by = context.User.Identity?.Name }))
    .RequireAuthorization()
    .RequireCognitoApiHeader();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(Cognito.BlazorDemo.Client._Imports).Assembly);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var pool = string.IsNullOrEmpty(configured) ? "development user pool: sign in with any username; add the group 'admin' for /admin" : $"user pool {configured}";
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"Cognito Blazor demo on {address} ({pool})");
    }
});
app.Run();
