using System.Net;
using System.Text.Encodings.Web;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cognito.AmplifyDemo;

/// <summary>
/// The original package's example app the original way: Amplify runs in the browser (cookie storage,
/// the hosted UI, a <c>/token</c> page), and the server renders pages and an API for the user from
/// Amplify's cookies (<c>UseCognitoCookies</c> in browser-Amplify mode), against the development pool.
/// </summary>
public static class AmplifyDemoApp
{
    /// <summary>Builds the app; <paramref name="customize"/> lets tests add logging or a clock.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<CognitoCookiesOptions>? cognito = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var site = new AmplifySite(builder.Configuration);
        var certificate = LoopbackCertificate.Create([site.Host, site.PoolHost]);
        builder.Services.AddSingleton(site);
        builder.Services.AddSingleton(certificate);

        ListenOptions? app = null, pool = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, site.AppPort, listen => (app = listen).UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, site.PoolPort, listen => (pool = listen).UseHttps(certificate));
            // The server's own back channel to the development pool (its refreshes): http on loopback only,
            // so the server's HttpClient need not trust the made-up certificate.
            kestrel.Listen(IPAddress.Loopback, 0);
        });

        builder.Services.AddCognitoCookies(options =>
        {
            options.BrowserAmplify = true;
            options.TokenPageScript = $"/amplify/amplify-{site.Amplify}.js";
            options.CookieDomain = site.CookieDomain;
            options.CookieSecure = CookieSecurePolicy.Always;
            cognito?.Invoke(options);
        });
        builder.Services.AddCognitoDevelopmentPool();
        customize?.Invoke(builder);

        var web = builder.Build();
        web.UseCognitoCookies();
        web.MapGet("/", Pages.Home);
        web.MapGet("/amplify/{file}", (string file) => Pages.Bundle(site, file));
        web.MapGet("/api/me", (HttpContext context) => context.GetCognitoTokens() is { } session
            ? Results.Json(new { username = session.Username, sub = session.Sub, groups = session.Groups })
            : Results.Unauthorized()).RequireAuthorization();

        web.Lifetime.ApplicationStarted.Register(() =>
        {
            site.AppPort = app!.IPEndPoint!.Port;
            site.PoolPort = pool!.IPEndPoint!.Port;
            // Cognito accepts only the app client's registered callback and sign-out URLs.
            var developmentPool = web.Services.GetRequiredService<DevelopmentUserPool>();
            developmentPool.CallbackUrls.Clear();
            developmentPool.CallbackUrls.Add(site.RedirectSignIn);
            developmentPool.CallbackUrls.Add(site.RedirectSignOut);
            Console.WriteLine($"Cognito Amplify demo ({Pages.AmplifyName(site.Amplify)} in the browser) on {site.AppOrigin}");
            Console.WriteLine($"  development user pool (the hosted UI, token endpoint and API) on {site.PoolOrigin}; sign in with any username, no password");
            Console.WriteLine($"  https with a certificate made at start (SHA-256 of its key: {LoopbackCertificate.SpkiSha256(certificate)}): accept the browser's warning once for {site.Host}");
        });
        return web;
    }
}
