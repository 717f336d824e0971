using Microsoft.Playwright;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// A real browser (Debian's Chromium, driven by Playwright; no browser download): sign in through the
/// development pool's form, see the welcome page, open a second tab, sign out in the first, and see the
/// second tab switch to anonymous when it gets focus.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    [Fact]
    public async Task Sign_in_then_sign_out_in_one_tab_switches_the_other_tab_to_anonymous()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        await using var server = await DemoServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var context = await browser.NewContextAsync();
        var first = await context.NewPageAsync();
        var home = server.BaseAddress.ToString();

        await first.GotoAsync(home);
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous");

        await first.ClickAsync("#signin");
        await first.FillAsync("#username", "jane.doe");
        await first.FillAsync("#groups", "admin");
        await first.ClickAsync("button[type=submit]");
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        await first.GotoAsync(home + "admin");
        await Assertions.Expect(first.Locator("#admin")).ToHaveTextAsync("Admin area");

        var second = await SignOutInOneTabAndTheOtherFollows(context, first, home);

        var screenshot = Path.Combine(Path.GetTempPath(), "cognito-browser-test.png");
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    [Fact]
    public async Task A_tab_notices_a_sign_out_made_elsewhere_when_it_gets_focus()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        await using var server = await DemoServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.BaseAddress + "auth/login?returnUrl=/");
        await page.FillAsync("#username", "jane.doe");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");

        // Signed out with the same cookies but by no page of this context: no localStorage announcement,
        // so only the focus check can tell the tab.
        var logout = await context.APIRequest.PostAsync(server.BaseAddress + "auth/logout", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal(302, logout.Status);
        await page.WaitForTimeoutAsync(500);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        await Focus(page);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous", new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
    }

    [Fact]
    public async Task Through_the_web_farm_a_sign_out_in_one_tab_switches_the_other_tab_with_every_request_on_the_next_instance()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        await using var farm = await Farm.Farm.StartAsync(new Farm.FarmOptions { Urls = "http://127.0.0.1:0" });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var context = await browser.NewContextAsync();
        var instances = new List<string>();
        context.Response += (_, response) =>
        {
            if (response.Headers.TryGetValue(Farm.Farm.InstanceHeader.ToLowerInvariant(), out var name))
            {
                lock (instances)
                {
                    instances.Add(name);
                }
            }
        };
        var first = await context.NewPageAsync();
        var home = farm.ProxyAddress.ToString();

        await first.GotoAsync(home + "auth/login?returnUrl=/");
        await first.FillAsync("#username", "jane.doe");
        await first.ClickAsync("button[type=submit]");
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        await SignOutInOneTabAndTheOtherFollows(context, first, home);

        lock (instances)
        {
            Assert.Equal(farm.Instances.Select(i => i.Name).Order(), instances.Distinct().Order());
        }
    }

    /// <summary>
    /// With jane.doe signed in on <paramref name="first"/>: a second tab shows her, the first signs out,
    /// and the second switches to anonymous. Returns the second tab.
    /// </summary>
    private static async Task<IPage> SignOutInOneTabAndTheOtherFollows(IBrowserContext context, IPage first, string home)
    {
        var second = await context.NewPageAsync();
        await second.GotoAsync(home);
        await Assertions.Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");

        await first.BringToFrontAsync();
        await first.ClickAsync("#signout");
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous");

        // The first tab's sign-out landed on a page whose script announced it in localStorage; the second
        // tab may already be reloading from that, and focus makes it check in any case.
        await second.BringToFrontAsync();
        await Focus(second);
        await Assertions.Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous", new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
        return second;
    }

    private static async Task Focus(IPage page)
    {
        try
        {
            await page.EvaluateAsync("() => window.dispatchEvent(new Event('focus'))");
        }
        catch (PlaywrightException e) when (e.Message.Contains("navigation", StringComparison.Ordinal))
        {
            // Already reloading because another tab announced the change: what focus would have done.
        }
    }

    [Fact]
    public async Task A_signed_in_user_without_the_admin_group_sees_the_forbidden_page()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./test.sh installs Debian's chromium package when run as root.");
        await using var server = await DemoServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseAddress + "admin");
        await page.FillAsync("#username", "bob");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#forbidden")).ToHaveTextAsync("Forbidden");
    }
}
