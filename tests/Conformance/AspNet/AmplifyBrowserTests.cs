using System.Text.Json;
using Cognito.AspNet.Development;
using Microsoft.Playwright;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The original scenario end to end with the real Amplify: Amplify in Chromium signs in through the
/// development pool's hosted UI (on its own https origin) and writes its cookies; the server renders
/// pages and answers its API for the same user from those cookies. Each test names the Amplify it
/// drives: <c>v6</c> is aws-amplify 6.22.1 (authorization code with PKCE, the exchange done in the
/// browser), <c>v3</c> is @aws-amplify/auth 3.4.34 with @aws-amplify/core 3.8.24 configured as the
/// original package's README does (<c>responseType: "token"</c>, the implicit grant).
/// </summary>
public sealed class AmplifyBrowserTests
{
    private static readonly Dictionary<string, string> Versions = new()
    {
        ["v6"] = "aws-amplify 6.22.1",
        ["v3"] = "@aws-amplify/auth 3.4.34",
    };

    [Theory]
    [InlineData("v6")]
    [InlineData("v3")]
    public async Task Amplify_signs_in_and_the_first_server_rendered_page_greets_the_user_whose_sub_the_api_returns(string amplify)
    {
        await using var site = await AmplifyBrowser.StartAsync(amplify);
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await site.SignInAsync(page, "jane.doe");

        await Assertions.Expect(page.Locator("#amplify")).ToHaveTextAsync(Versions[amplify]);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        var sub = await page.Locator("#sub").TextContentAsync();
        Assert.Equal(DevelopmentUserPool.SubOf("jane.doe"), sub);
        var me = await AmplifyBrowser.ApiMeAsync(page);
        Assert.Equal(sub, me.GetProperty("sub").GetString());
        Assert.Equal("jane.doe", me.GetProperty("username").GetString());
        var amplifySees = await page.EvaluateAsync<JsonElement>("() => window.demo.session()");
        Assert.True(amplifySees.GetProperty("signedIn").GetBoolean());
        Assert.Equal(sub, amplifySees.GetProperty("sub").GetString());
        Assert.Empty(site.Errors);
    }

    [Theory]
    [InlineData("v6")]
    [InlineData("v3")]
    public async Task Amplify_writes_its_cookies_secure_on_the_configured_domain_over_https_and_the_server_reads_them(string amplify)
    {
        await using var site = await AmplifyBrowser.StartAsync(amplify);
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await site.SignInAsync(page, "jane.doe");
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");

        var prefix = $"CognitoIdentityServiceProvider.{DevelopmentUserPool.ClientId}.";
        var cookies = (await context.CookiesAsync()).Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(cookies, c => c.Name == prefix + "LastAuthUser");
        Assert.Contains(cookies, c => c.Name == prefix + "jane.doe.idToken");
        Assert.Contains(cookies, c => c.Name == prefix + "jane.doe.accessToken");
        Assert.All(cookies, c =>
        {
            Assert.True(c.Secure, $"{c.Name} is not Secure");
            Assert.Equal("." + AmplifyBrowser.CookieDomain, c.Domain);
            Assert.Equal("/", c.Path);
            Assert.False(c.HttpOnly, $"{c.Name} is HttpOnly, but Amplify wrote it and must read it");
        });
    }

    [Theory]
    [InlineData("v6")]
    [InlineData("v3")]
    public async Task A_tab_opened_before_the_sign_in_shows_the_user_without_a_reload_and_anonymous_after_Amplify_signs_out_in_the_other(string amplify)
    {
        await using var site = await AmplifyBrowser.StartAsync(amplify);
        var context = await site.NewContextAsync();
        var second = await context.NewPageAsync();
        await second.GotoAsync(site.Home);
        await Assertions.Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous");
        var first = await context.NewPageAsync();

        await site.SignInAsync(first, "jane.doe");
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        // The token page told the other tabs (the seed's auth_sync_key); the second tab reloads by itself.
        await Assertions.Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe", new() { Timeout = 10_000 });

        await first.ClickAsync("#signout");
        await first.WaitForURLAsync(site.Home);
        await Assertions.Expect(first.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous", new() { Timeout = 10_000 });
        await Assertions.Expect(second.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous", new() { Timeout = 10_000 });
        var amplifySees = await second.EvaluateAsync<JsonElement>("() => window.demo.session()");
        Assert.False(amplifySees.GetProperty("signedIn").GetBoolean());
        // v6 revokes its refresh token through Cognito's API (a cross-origin call with a preflight) before
        // the hosted UI's /logout; v3 with the implicit grant has no refresh token to revoke.
        Assert.Equal(amplify == "v6" ? 1 : 0, site.Probe.RevokeRequests);
        Assert.Empty(site.Errors);
    }

    [Theory]
    [InlineData("v6")]
    [InlineData("v3")]
    public async Task A_username_with_reserved_and_non_ASCII_characters_and_a_user_with_many_groups_round_trip_through_Amplify_cookie_names(string amplify)
    {
        await using var site = await AmplifyBrowser.StartAsync(amplify);
        const string username = "zoë.ångström+ops(eu)@exämple.com";
        var groups = Enumerable.Range(1, 40).Select(i => $"team-{i:00}").ToArray();
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await site.SignInAsync(page, username, string.Join(", ", groups));

        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome " + username);
        await Assertions.Expect(page.Locator("#groups")).ToHaveTextAsync("Groups: " + string.Join(", ", groups));
        var me = await AmplifyBrowser.ApiMeAsync(page);
        Assert.Equal(username, me.GetProperty("username").GetString());
        Assert.Equal(DevelopmentUserPool.SubOf(username), me.GetProperty("sub").GetString());
        Assert.Equal(groups, me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        // The cookie names hold the username as Amplify's cookie library encodes it, which the server decoded.
        var names = (await context.CookiesAsync()).Select(c => c.Name).ToList();
        Assert.Contains(names, n => n.EndsWith(".idToken", StringComparison.Ordinal) && !n.Contains(username, StringComparison.Ordinal));
        Assert.Empty(site.Errors);
    }

    [Theory]
    [InlineData("v6")]
    [InlineData("v3")]
    public async Task With_the_sample_defaults_a_person_gets_localhost_for_the_app_the_pool_and_the_cookie_domain_and_Amplify_signs_in(string amplify)
    {
        await using var site = await AmplifyBrowser.StartAsync(amplify, sampleDefaults: true);
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await site.SignInAsync(page, "jane.doe");

        Assert.Equal("localhost", new Uri(page.Url).Host);
        Assert.Equal("localhost", site.Site.PoolOrigin.Host);
        Assert.NotEqual(site.Site.AppOrigin, site.Site.PoolOrigin);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        Assert.All(await context.CookiesAsync(), c => Assert.Equal("localhost", c.Domain.TrimStart('.')));
    }

    /// <summary>A script expression: the <c>exp</c> of the access token in Amplify's cookie.</summary>
    private const string AccessTokenExp =
        "JSON.parse(atob(document.cookie.split('; ').find(c => c.includes('.accessToken=')).split('=')[1].split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp";

    [Fact]
    public async Task After_Amplify_v6_refreshes_an_expired_access_token_the_server_accepts_the_refreshed_cookies_for_the_same_user()
    {
        // Tokens for 10 s: Amplify counts them expired 5 s early, so the refresh is Amplify's, before the
        // server sees them expire (and the server never refreshes early here: RefreshMargin zero).
        await using var site = await AmplifyBrowser.StartAsync("v6", cognito: o => o.RefreshMargin = TimeSpan.Zero, pool: p => p.TokenLifetime = TimeSpan.FromSeconds(10));
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        await site.SignInAsync(page, "jane.doe");
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        var idCookie = $"CognitoIdentityServiceProvider.{DevelopmentUserPool.ClientId}.jane.doe.idToken";
        var before = (await AmplifyBrowser.CookiesAsync(context))[idCookie].Value;
        var refreshesBefore = site.Probe.RefreshRequests;

        // Amplify counts the access token expired 5 s before its exp, shifted by the clock drift it
        // measured when the tokens arrived (a second or two on a loaded machine): 1.5 s before exp it
        // refreshes; the server would only refresh at exp (RefreshMargin zero), later.
        await page.WaitForFunctionAsync($"() => Date.now() > {AccessTokenExp} * 1000 - 1500", null, new() { PollingInterval = 100, Timeout = 15_000 });
        var amplifySees = await page.EvaluateAsync<JsonElement>("() => window.demo.session()");

        Assert.True(amplifySees.GetProperty("signedIn").GetBoolean());
        Assert.Equal(refreshesBefore + 1, site.Probe.RefreshRequests);
        var after = (await AmplifyBrowser.CookiesAsync(context))[idCookie].Value;
        Assert.NotEqual(before, after);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        Assert.Equal(amplifySees.GetProperty("sub").GetString(), (await AmplifyBrowser.ApiMeAsync(page)).GetProperty("sub").GetString());
        Assert.DoesNotContain(site.Logs.Lines, l => l.Message.Contains("refreshed", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(site.Errors);
    }

    [Fact]
    public async Task Amplify_v3_with_the_implicit_grant_has_no_refresh_token_so_when_the_tokens_expire_both_it_and_the_server_see_the_user_signed_out()
    {
        // ClockSkew zero: by default the server accepts a token up to a minute past its exp (clocks of other
        // machines drift), while Amplify counts it expired 5 s before; the README says so.
        await using var site = await AmplifyBrowser.StartAsync("v3", cognito: o => o.ClockSkew = TimeSpan.Zero, pool: p => p.TokenLifetime = TimeSpan.FromSeconds(10));
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        await site.SignInAsync(page, "jane.doe");
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");

        await page.WaitForFunctionAsync($"() => Date.now() > {AccessTokenExp} * 1000 + 500", null, new() { PollingInterval = 200, Timeout = 20_000 });
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome anonymous");
        // Amplify v3 measures expiry against the clock drift it saw when the tokens arrived (the seconds
        // the sign-in took), so it lets go of them those few seconds after the server did.
        await page.WaitForFunctionAsync("() => window.demo.session().then(s => !s.signedIn)", null, new() { PollingInterval = 500, Timeout = 20_000 });
        Assert.Equal(0, site.Probe.RefreshRequests);
    }
}
