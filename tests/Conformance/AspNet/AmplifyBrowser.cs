using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Cognito.AmplifyDemo;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The AmplifyDemo sample on real Kestrel (https on loopback with the certificate it made at start) and
/// Debian's Chromium, which reaches it by the names a deployment has — the app at
/// <c>app.cognito.test</c>, the development pool at <c>auth.cognito.test</c>, Amplify's cookies on
/// <c>cognito.test</c> — mapped to 127.0.0.1, and accepts exactly that certificate's key.
/// </summary>
internal sealed class AmplifyBrowser : IAsyncDisposable
{
    internal const string Chromium = "/usr/bin/chromium";
    internal const string CookieDomain = "cognito.test";

    private readonly WebApplication _app;
    private readonly IPlaywright _playwright;

    private AmplifyBrowser(WebApplication app, IPlaywright playwright, IBrowser browser, LogCapture logs, PoolProbe probe)
    {
        (_app, _playwright, Browser, Logs, Probe) = (app, playwright, browser, logs, probe);
        Site = app.Services.GetRequiredService<AmplifySite>();
        Pool = app.Services.GetRequiredService<DevelopmentUserPool>();
    }

    public IBrowser Browser { get; }

    public LogCapture Logs { get; }

    public AmplifySite Site { get; }

    public DevelopmentUserPool Pool { get; }

    /// <summary>The calls that reached the development pool.</summary>
    public PoolProbe Probe { get; }

    /// <summary>The app's home page.</summary>
    public string Home => Site.AppOrigin.ToString();

    /// <summary>Starts the sample with <paramref name="amplify"/> (v6 or v3) and a headless Chromium.</summary>
    public static async Task<AmplifyBrowser> StartAsync(string amplify, Action<CognitoCookiesOptions>? cognito = null, Action<DevelopmentUserPool>? pool = null, bool sampleDefaults = false)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        var logs = new LogCapture();
        var probe = new PoolProbe();
        var app = AmplifyDemoApp.Build(
            sampleDefaults
                ? ["--environment", "Development", "--amplify", amplify, "--port", "0", "--pool-port", "0"]
                : ["--environment", "Development", "--amplify", amplify, "--port", "0", "--pool-port", "0",
                   "--host", "app." + CookieDomain, "--pool-host", "auth." + CookieDomain, "--cookie-domain", CookieDomain],
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Logging.AddFilter("Cognito.AspNet", LogLevel.Debug);
                builder.Logging.AddProvider(logs);
                probe.AddTo(builder.Services);
            },
            cognito);
        pool?.Invoke(app.Services.GetRequiredService<DevelopmentUserPool>());
        await app.StartAsync();
        var certificate = app.Services.GetRequiredService<X509Certificate2>();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                $"--host-resolver-rules=MAP *.{CookieDomain} 127.0.0.1",
                // This certificate's key and no other: a TLS error of any other kind still fails the test.
                $"--ignore-certificate-errors-spki-list={LoopbackCertificate.SpkiSha256(certificate)}",
            ],
        });
        return new AmplifyBrowser(app, playwright, browser, logs, probe);
    }

    /// <summary>A new browser profile (its own cookies and storage) whose pages fail the test on a script error.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync();
        context.Page += (_, page) =>
        {
            page.PageError += (_, error) => Errors.Add($"{page.Url}: {error}");
            page.Console += (_, message) => Console.Add($"{page.Url}: [{message.Type}] {message.Text}");
            page.Request += (_, request) => Console.Add($"{page.Url}: {request.Method} {request.Url}");
            page.RequestFailed += (_, request) => Console.Add($"{page.Url}: request failed {request.Method} {request.Url}: {request.Failure}");
        };
        return context;
    }

    /// <summary>What the pages wrote to the console, and requests that failed: shown when a step times out.</summary>
    public List<string> Console { get; } = [];

    /// <summary>Script errors seen in any page.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Sign in through Amplify: its button, the pool's form, the token page, back home.</summary>
    public async Task SignInAsync(IPage page, string username, string groups = "")
    {
        try
        {
            await page.GotoAsync(Home);
            await page.ClickAsync("#signin");
            await page.WaitForURLAsync(url => url.StartsWith(Site.PoolOrigin.ToString(), StringComparison.Ordinal), new() { Timeout = 10_000 });
            await page.FillAsync("#username", username);
            await page.FillAsync("#groups", groups);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(Home, new PageWaitForURLOptions { Timeout = 20_000 });
        }
        catch (TimeoutException e)
        {
            var cookies = string.Join(", ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name} ({c.Value.Length} chars, domain {c.Domain}, secure {c.Secure})"));
            throw new TimeoutException($"Amplify's sign-in did not come back home; at {page.Url}: {await page.Locator("body").TextContentAsync()}\ncookies: {cookies}\n{Report()}", e);
        }
    }

    /// <summary>The console lines, script errors and the server's warnings, for a failure message.</summary>
    public string Report() =>
        string.Join('\n', Console.Concat(Errors).Concat(Logs.Lines.Where(l => l.Level >= LogLevel.Debug && l.Category.StartsWith("Cognito", StringComparison.Ordinal)).Select(l => $"log {l.Category}: {l.Message}")));

    /// <summary>
    /// <c>/api/me</c> fetched by the page, with the cookies the browser holds (Playwright's own HTTP
    /// client would not resolve the test's host names): the status and the JSON answer.
    /// </summary>
    public static async Task<JsonElement> ApiMeAsync(IPage page) =>
        await page.EvaluateAsync<JsonElement>("() => fetch('/api/me', { cache: 'no-store' }).then(async r => ({ status: r.status, body: r.status === 200 ? await r.json() : null }))") is var answer
        && answer.GetProperty("status").GetInt32() == 200
            ? answer.GetProperty("body")
            : throw new Xunit.Sdk.XunitException($"/api/me answered {answer.GetProperty("status").GetInt32()}");

    /// <summary>The cookies of the context, by name.</summary>
    public static async Task<Dictionary<string, BrowserContextCookiesResult>> CookiesAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
