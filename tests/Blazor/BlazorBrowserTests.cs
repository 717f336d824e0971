using System.Net.Http;
using Xunit.Abstractions;
using Microsoft.Playwright;

namespace Cognito.Blazor.Tests;

/// <summary>One BlazorDemo process and one headless Chromium (Debian's, no download) for the browser tests.</summary>
public sealed class BlazorDemoFixture : IAsyncLifetime
{
    internal const string Chromium = "/usr/bin/chromium";

    /// <summary>Tokens live 20 s; a circuit asks every 30 s (and at the tokens' expiry, which comes first).</summary>
    internal static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(20);
    internal static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    private BlazorDemoProcess? _demo;
    private IPlaywright? _playwright;

    internal BlazorDemoProcess Demo => _demo!;

    internal IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        _demo = await BlazorDemoProcess.StartAsync(new Dictionary<string, string>
        {
            ["BlazorDemo__TokenLifetime"] = TokenLifetime.ToString(),
            ["BlazorDemo__RevalidationInterval"] = RevalidationInterval.ToString(),
            // Refresh when the tokens have expired, not 5 minutes before (longer than their life), and
            // accept them to the second: the test sees the exact moments.
            ["Cognito__RefreshMargin"] = "00:00:00",
            ["Cognito__ClockSkew"] = "00:00:00",
            // Every test signs in from 127.0.0.1: the per-client budget of calls to the pool is raised.
            ["Cognito__BackchannelCallsPerClientPerMinute"] = "1000",
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }
}

/// <summary>
/// The Blazor side in a real browser against <c>samples/BlazorDemo</c>: an Interactive Server circuit and a
/// WebAssembly component follow sign-in, sign-out in another tab, refresh and a refused refresh, live.
/// </summary>
public sealed class BlazorBrowserTests(BlazorDemoFixture fixture, ITestOutputHelper output) : IClassFixture<BlazorDemoFixture>
{
    private string Home => fixture.Demo.Address.ToString();

    [Fact]
    public async Task After_sign_in_the_interactive_server_page_and_the_webassembly_page_name_the_user_and_their_groups()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn(page, "jane.doe", "admin,dev");

        await OpenLive(page);
        await Expect(page.Locator("#live-user")).ToHaveTextAsync("Signed in as jane.doe (groups: admin, dev)");
        await Expect(page.Locator("#live-admin")).ToBeVisibleAsync();

        await page.GotoAsync(Home + "wasm");
        await Expect(page.Locator("#wasm-mode")).ToHaveTextAsync("interactive (WebAssembly)", Long);
        await Expect(page.Locator("#wasm-user")).ToHaveTextAsync("Signed in as jane.doe (groups: admin, dev)");
        await Expect(page.Locator("#wasm-admin")).ToBeVisibleAsync();
        await page.ClickAsync("#call-api");
        await Expect(page.Locator("#api-user")).ToHaveTextAsync("jane.doe");

        // A state-changing API: the WebAssembly HttpClient's header passes; the same cookies without it
        // (what a form or a script on another site could send) are refused.
        await page.ClickAsync("#post-api");
        await Expect(page.Locator("#post-result")).ToHaveTextAsync("saved by jane.doe");
        var bare = await context.APIRequest.PostAsync(Home + "api/notes");
        Assert.Equal(403, bare.Status);
        var withHeader = await context.APIRequest.PostAsync(Home + "api/notes", new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["X-Requested-With"] = "XMLHttpRequest" } });
        Assert.Equal(200, withHeader.Status);
    }

    [Fact]
    public async Task A_sign_out_in_a_second_tab_turns_the_first_tabs_interactive_pages_anonymous_without_a_reload_within_2_seconds()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var live = await context.NewPageAsync();
        await SignIn(live, "sam.jones", "dev");
        await OpenLive(live);
        await Expect(live.Locator("#live-user")).ToHaveTextAsync("Signed in as sam.jones (groups: dev)");
        var wasm = await context.NewPageAsync();
        await wasm.GotoAsync(Home + "wasm");
        await Expect(wasm.Locator("#wasm-mode")).ToHaveTextAsync("interactive (WebAssembly)", Long);
        await Expect(wasm.Locator("#wasm-user")).ToHaveTextAsync("Signed in as sam.jones (groups: dev)");
        // A reload would lose these.
        await live.EvaluateAsync("window.__sameDocument = 1");
        await wasm.EvaluateAsync("window.__sameDocument = 1");

        var second = await context.NewPageAsync();
        await second.GotoAsync(Home);
        await second.ClickAsync("#signout");
        await Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous");

        var twoSeconds = new LocatorAssertionsToHaveTextOptions { Timeout = 2_000 };
        await Expect(live.Locator("#live-user")).ToHaveTextAsync("Anonymous", twoSeconds);
        await Expect(wasm.Locator("#wasm-user")).ToHaveTextAsync("Anonymous", twoSeconds);
        Assert.Equal(1, await live.EvaluateAsync<int>("window.__sameDocument"));
        Assert.Equal(1, await wasm.EvaluateAsync<int>("window.__sameDocument"));
        await Expect(live.Locator("#live-admin")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task When_the_tokens_expire_the_circuit_stays_signed_in_and_the_cookies_were_refreshed()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn(page, "ria.patel", "dev");
        await OpenLive(page);
        var firstExpiry = long.Parse(await page.Locator("#live-expires").InnerTextAsync());
        var firstIdToken = await IdTokenCookie(context);

        // The circuit asks at the tokens' expiry (20 s, before its 30-s interval); the server refreshes them.
        await Expect(page.Locator("#live-expires")).Not.ToHaveTextAsync(firstExpiry.ToString(), new LocatorAssertionsToHaveTextOptions { Timeout = 40_000 });
        Assert.True(long.Parse(await page.Locator("#live-expires").InnerTextAsync()) > firstExpiry);
        await Expect(page.Locator("#live-user")).ToHaveTextAsync("Signed in as ria.patel (groups: dev)");
        Assert.NotEqual(firstIdToken, await IdTokenCookie(context));
    }

    [Fact]
    public async Task When_the_refresh_is_refused_the_circuit_turns_anonymous_within_one_interval()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn(page, "lee.wong", "dev");
        await OpenLive(page);
        await Expect(page.Locator("#live-user")).ToHaveTextAsync("Signed in as lee.wong (groups: dev)");

        // Revoked at the pool (signed out on another device, an admin's global sign-out): the cookies here
        // still look fine until the tokens expire, then Cognito refuses the refresh.
        var refreshToken = (await context.CookiesAsync()).Single(c => c.Name.EndsWith(".refreshToken", StringComparison.Ordinal)).Value;
        using (var http = new HttpClient())
        {
            using var revoke = await http.PostAsync(Home + "_cognito-dev/oauth2/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = refreshToken,
                ["client_id"] = Cognito.AspNet.Development.DevelopmentUserPool.ClientId,
            }));
            Assert.Equal(200, (int)revoke.StatusCode);
        }

        await Expect(page.Locator("#live-user")).ToHaveTextAsync("Anonymous",
            new LocatorAssertionsToHaveTextOptions { Timeout = (float)BlazorDemoFixture.RevalidationInterval.TotalMilliseconds + 5_000 });
    }

    [Fact]
    public async Task RedirectToCognitoLogin_brings_the_user_back_to_the_page_they_asked_for()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Home + "account?tab=security&x=%2F%2Fevil.example");
        await page.FillAsync("#username", "kim.berg");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#account")).ToHaveTextAsync("Account of kim.berg", Long);
        Assert.Equal(Home + "account?tab=security&x=%2F%2Fevil.example", page.Url);
    }

    [Fact]
    public async Task Thirty_circuits_of_one_browser_all_follow_one_sign_out()
    {
        const int circuits = 30;
        await using var context = await fixture.Browser.NewContextAsync();
        var first = await context.NewPageAsync();
        await SignIn(first, "many.tabs", "dev");
        var pages = new List<IPage>();
        long before = 0;
        for (var i = 0; i < circuits; i++)
        {
            if (i == 10)
            {
                before = fixture.Demo.ResidentKiB(); // after 10 circuits: the first ones pay for the JIT
            }

            var page = await context.NewPageAsync();
            await OpenLive(page);
            pages.Add(page);
        }

        GC.KeepAlive(pages);
        var after = fixture.Demo.ResidentKiB();
        // A figure for the note and docs/blazor.md (circuits per instance), not an assertion: memory is the server's, and noisy.
        output.WriteLine($"circuits 11 to {circuits}: resident set {before / 1024} MiB -> {after / 1024} MiB, {(after - before) / (circuits - 10)} KiB per circuit");

        await first.GotoAsync(Home);
        await first.ClickAsync("#signout");
        foreach (var page in pages)
        {
            await Expect(page.Locator("#live-user")).ToHaveTextAsync("Anonymous", Long);
        }
    }

    private static readonly LocatorAssertionsToHaveTextOptions Long = new() { Timeout = 30_000 };

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task SignIn(IPage page, string username, string groups)
    {
        await page.GotoAsync(Home + "auth/login?returnUrl=/");
        await page.FillAsync("#username", username);
        await page.FillAsync("#groups", groups);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome " + username);
    }

    /// <summary>Opens the Interactive Server page and waits until its circuit is up.</summary>
    private async Task OpenLive(IPage page)
    {
        await page.GotoAsync(Home + "live");
        await Expect(page.Locator("#live-mode")).ToHaveTextAsync("interactive (Server)", Long);
    }

    private static async Task<string> IdTokenCookie(IBrowserContext context) =>
        (await context.CookiesAsync()).Single(c => c.Name.EndsWith(".idToken", StringComparison.Ordinal)).Value;
}
