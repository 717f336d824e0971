using System.Net;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The attack catalogue of the sign-in flows (issue 17): the demo on Kestrel with the development pool
/// and a pinned clock, attacked with raw Cookie headers, replayed flow cookies and hostile parameters.
/// Each test names its attack and asserts what the attacker gets and how many calls reached the token
/// and revoke endpoints (the development pool counts them). The attacks the flows already held before
/// issue 17 (open redirects, state mix-ups, PKCE) are in <see cref="SignInFlowTests"/>.
/// </summary>
public sealed partial class FlowAttackTests : IAsyncLifetime
{
    private const string Prefix = "CognitoIdentityServiceProvider." + DevelopmentUserPool.ClientId;
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<DemoServer.Client> SignedIn(string user, string groups = "")
    {
        var browser = _server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(user, groups)).StatusCode);
        return browser;
    }

    private string HeaderOf(DemoServer.Client browser) => browser.Cookies.GetCookieHeader(_server.BaseAddress);

    private string CookieOf(DemoServer.Client browser, string name) => browser.Cookies.GetCookies(_server.BaseAddress)[name]!.Value;

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? cookie, params (string Name, string Value)[] headers) =>
        _server.SendAsync(method, path, cookie, headers);

    private static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    private static async Task<string?> AnsweredAs(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK
            ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("username").GetString()
            : null;

    private List<(string Category, LogLevel Level, EventId Event, string Message)> Logs()
    {
        lock (_server.Logs.Lines)
        {
            return [.. _server.Logs.Lines];
        }
    }

    // ---- 1. Session swap through the refresh ----

    [Fact]
    public async Task A_tossed_refresh_token_cookie_never_swaps_the_session()
    {
        using var victim = await SignedIn("victim");
        using var attacker = await SignedIn("attacker");
        var attackersRefreshToken = CookieOf(attacker, $"{Prefix}.attacker.refreshToken");
        _server.Clock.Now += TimeSpan.FromHours(2); // the victim's tokens expired: the next request refreshes

        // A sibling subdomain set the victim's refresh-token cookie name with a longer Path: the browser sends it first.
        var tossed = $"{Prefix}.victim.refreshToken={attackersRefreshToken}; {HeaderOf(victim)}";
        var refreshes = _server.Probe.RefreshRequests;
        var me = await Send(HttpMethod.Get, "/api/me", tossed);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode); // not the attacker, and no refresh at all
        Assert.DoesNotContain(SetCookies(me), c => c.Contains("attacker", StringComparison.Ordinal));
        Assert.Equal(refreshes, _server.Probe.RefreshRequests);
        Assert.Contains(Logs(), l => l.Event.Name == "DuplicateSessionCookies");
    }

    [Fact]
    public async Task A_refresh_that_comes_back_as_another_user_is_refused()
    {
        using var victim = await SignedIn("victim");
        using var attacker = await SignedIn("attacker");
        var swapped = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), CookieOf(attacker, $"{Prefix}.attacker.refreshToken"), StringComparison.Ordinal);
        _server.Clock.Now += TimeSpan.FromHours(2);
        var refreshes = _server.Probe.RefreshRequests;

        var me = await Send(HttpMethod.Get, "/api/me", swapped);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Empty(SetCookies(me)); // no cookie rewritten, no LastAuthUser=attacker
        Assert.Equal(refreshes + 1, _server.Probe.RefreshRequests);
        Assert.Contains(Logs(), l => l.Event.Name == "RefreshedAnotherUser");
    }

    [Fact]
    public async Task A_tossed_garbage_refresh_token_never_clears_a_session_that_still_verifies()
    {
        using var victim = await SignedIn("victim");
        var garbage = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), "garbage", StringComparison.Ordinal);
        _server.Clock.Now += TimeSpan.FromMinutes(58); // within the refresh margin: still valid, refreshed ahead of time

        var me = await Send(HttpMethod.Get, "/api/me", garbage);
        Assert.Equal("victim", await AnsweredAs(me));
        Assert.Empty(SetCookies(me)); // invalid_grant, and the cookies stay
    }

    // ---- 2. Free calls to Cognito ----

    [Fact]
    public async Task Replaying_one_flow_cookie_a_hundred_times_costs_one_token_call()
    {
        using var attacker = _server.NewClient();
        var login = await attacker.GetAsync("/auth/login?returnUrl=/", follow: false);
        var state = QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();
        var flow = attacker.Cookies.GetCookies(new Uri(_server.BaseAddress, "/auth/callback"))[".Cognito.SignIn"]!.Value;
        var calls = _server.Probe.TokenRequests;

        for (var i = 0; i < 100; i++)
        {
            var callback = await Send(HttpMethod.Get, $"/auth/callback?code=random{i}&state={state}", $".Cognito.SignIn={flow}");
            Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        }

        Assert.Equal(calls + 1, _server.Probe.TokenRequests);
    }

    [Fact]
    public async Task A_hundred_sign_outs_with_garbage_cookies_cost_no_revoke()
    {
        for (var i = 0; i < 100; i++)
        {
            var garbage = $"{Prefix}.LastAuthUser=x; {Prefix}.x.idToken=a.b.c; {Prefix}.x.accessToken=d.e.f; {Prefix}.x.refreshToken=r{i}";
            Assert.Equal(HttpStatusCode.Redirect, (await Send(HttpMethod.Post, "/auth/logout", garbage)).StatusCode);
        }

        Assert.Equal(0, _server.Probe.RevokeRequests);
    }

    [Fact]
    public async Task Old_signed_sessions_with_garbage_refresh_tokens_cost_at_most_one_refresh()
    {
        using var victim = await SignedIn("victim");
        var garbage = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), "garbage", StringComparison.Ordinal);

        // Expired two hours ago: refreshable, but a refresh token that fails is remembered, not retried per request.
        _server.Clock.Now += TimeSpan.FromHours(2);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/api/me", garbage)).StatusCode);
        }

        Assert.Equal(1, _server.Probe.RefreshRequests);

        // Expired longer ago than the cookies live: never sent to Cognito.
        _server.Clock.Now += TimeSpan.FromDays(31);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/api/me", garbage + i)).StatusCode);
        }

        Assert.Equal(1, _server.Probe.RefreshRequests);
    }

    [Fact]
    public async Task Ever_new_refresh_tokens_from_one_client_are_rate_limited()
    {
        using var victim = await SignedIn("victim");
        var refreshToken = CookieOf(victim, $"{Prefix}.victim.refreshToken");
        _server.Clock.Now += TimeSpan.FromHours(2);
        for (var i = 0; i < 100; i++)
        {
            await Send(HttpMethod.Get, "/api/me", HeaderOf(victim).Replace(refreshToken, $"garbage{i}", StringComparison.Ordinal));
        }

        // The per-client budget (20 a minute, a few more replenished while the loop runs), not 100.
        Assert.InRange(_server.Probe.RefreshRequests, 1, 25);
        Assert.Contains(Logs(), l => l.Event.Name == "RefreshFailed" && l.Message.Contains(SessionRefresher.RateLimited, StringComparison.Ordinal));
    }

    // ---- 3. Return URLs the callback could not write ----

    [Fact]
    public async Task A_protected_page_with_a_non_ASCII_path_signs_in_and_comes_back_to_it()
    {
        using var browser = _server.NewClient();
        var challenge = await browser.GetAsync("/users/José", follow: false);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var returnUrl = QueryHelpers.ParseQuery(challenge.Headers.Location!.OriginalString.Split('?')[1])["returnUrl"].ToString();

        var callback = await browser.SignInAsync("jane", returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/users/Jos%C3%A9", callback.Headers.Location!.OriginalString);
        Assert.Contains("Page of José", WebUtility.HtmlDecode(await browser.PageAsync(callback.Headers.Location.OriginalString)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/café", "/caf%C3%A9")]
    [InlineData("/users/José?tab=ünïcode", "/users/Jos%C3%A9?tab=%C3%BCn%C3%AFcode")]
    [InlineData("/emoji/😀", "/emoji/%F0%9F%98%80")]
    public async Task A_non_ASCII_return_url_is_sent_back_percent_encoded(string returnUrl, string location)
    {
        using var browser = _server.NewClient();
        var callback = await browser.SignInAsync("jane", returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(location, callback.Headers.Location!.OriginalString);
        Assert.Equal(5, SetCookies(callback).Count(c => c.StartsWith(Prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_overlong_return_url_still_signs_in_and_lands_home()
    {
        using var browser = _server.NewClient();
        var login = await browser.GetAsync($"/auth/login?returnUrl=/{new string('a', 3000)}", follow: false);
        Assert.True(SetCookies(login).Single().Length < 4000, "the flow cookie fits in a browser's 4 KB");
        browser.Hops.Clear();
        var callback = await browser.SignInAsync("jane", returnUrl: "/" + new string('a', 3000));
        Assert.Equal("/", callback.Headers.Location!.OriginalString);
        Assert.Equal(5, SetCookies(callback).Count(c => c.StartsWith(Prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void Return_urls_are_local_ASCII_and_short_or_home()
    {
        Assert.Equal("/", CognitoUris.LocalOrRoot("/lone/\ud800"));
        Assert.Equal("/", CognitoUris.LocalOrRoot("/x\udc00y"));
        Assert.Equal("/a/%F0%9F%98%80/b", CognitoUris.LocalOrRoot("/a/😀/b"));
        Assert.Equal("/" + new string('a', CognitoUris.MaxReturnUrlLength - 1), CognitoUris.LocalOrRoot("/" + new string('a', CognitoUris.MaxReturnUrlLength - 1)));
        Assert.Equal("/", CognitoUris.LocalOrRoot("/" + new string('a', CognitoUris.MaxReturnUrlLength)));
        Assert.Equal("/", CognitoUris.LocalOrRoot("/" + new string('é', 700))); // 1,401 characters, 4,201 once encoded
    }

    // ---- 4. Sign-out and cookie names with parentheses ----

    [Fact]
    public async Task Sign_out_clears_cookies_with_parentheses_in_their_names()
    {
        using var user = await SignedIn("bob(admin)");
        var encoded = AmplifyCookieNames.EncodeUsername("bob(admin)");
        Assert.Equal("bob%28admin%29", encoded);

        // The same session as Amplify's Next.js adapter names it: parentheses left as they are.
        var header = HeaderOf(user).Replace($".{encoded}.", ".bob(admin).", StringComparison.Ordinal);
        var logout = await Send(HttpMethod.Post, "/auth/logout", header);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        foreach (var cookie in new[] { "idToken", "accessToken", "refreshToken", "clockDrift" })
        {
            Assert.Contains(SetCookies(logout), c => c.StartsWith($"{Prefix}.bob(admin).{cookie}=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        }

        Assert.Equal(1, _server.Probe.RevokeRequests); // the session verified: its refresh token was revoked
    }

    // ---- 5. Forged log lines and usernames in logs ----

    [Fact]
    public async Task A_forged_error_parameter_writes_no_line_break_into_the_log()
    {
        var callback = await Send(HttpMethod.Get, "/auth/callback?error=access_denied%0d%0a2026-11-29%20info%3A%20Signed%20in%20admin", null);
        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        var line = Assert.Single(Logs(), l => l.Event.Name == "SignInFailed");
        Assert.Equal("Cognito sign-in failed: the user pool refused the sign-in: (an error code that is not one)", line.Message);
        Assert.DoesNotContain(Logs(), l => l.Message.Contains('\r') || l.Message.Contains('\n'));

        // A real OAuth error code is kept.
        await Send(HttpMethod.Get, "/auth/callback?error=access_denied", null);
        Assert.Equal("Cognito sign-in failed: the user pool refused the sign-in: access_denied", Logs().Last(l => l.Event.Name == "SignInFailed").Message);
    }

    [Fact]
    public async Task Usernames_are_never_logged_above_Debug()
    {
        using var user = await SignedIn("jane.doe@example.com");
        _server.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal("jane.doe@example.com", await AnsweredAs(await user.GetAsync("/api/me")));
        await user.PostAsync("/auth/logout", [], follow: false);

        var logs = Logs();
        Assert.Contains(logs, l => l.Event.Name == "SignedIn" && l.Message == $"Signed in sub {DevelopmentUserPool.SubOf("jane.doe@example.com")}");
        Assert.Contains(logs, l => l.Event.Name == "SessionRefreshed");
        Assert.Contains(logs, l => l.Event.Name == "SignedOut");
        Assert.DoesNotContain(logs, l => l.Level > LogLevel.Debug && l.Message.Contains("jane.doe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Warnings_anyone_can_cause_are_throttled()
    {
        for (var i = 0; i < 100; i++)
        {
            await Send(HttpMethod.Get, "/auth/callback?error=access_denied", null);
        }

        Assert.Equal(WarningThrottle.PerMinute, Logs().Count(l => l.Event.Name == "SignInFailed"));
        _server.Clock.Now += TimeSpan.FromMinutes(1);
        await Send(HttpMethod.Get, "/auth/callback?error=access_denied", null);
        Assert.Equal("80 more SignInFailed warnings were left out in the last minute", Logs().Single(l => l.Event.Name == "WarningsSuppressed").Message);
    }

    // ---- 6. Cross-site sign-out ----

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Referer", "https://sibling.example.com/page")]
    public async Task A_cross_site_sign_out_changes_nothing(string header, string value)
    {
        using var victim = await SignedIn("victim");
        var logout = await Send(HttpMethod.Post, "/auth/logout", HeaderOf(victim), (header, value));
        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        Assert.Empty(SetCookies(logout));
        Assert.Equal(0, _server.Probe.RevokeRequests);
        Assert.Equal("victim", await AnsweredAs(await victim.GetAsync("/api/me")));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Sec-Fetch-Site", "none")]
    [InlineData("Origin", "SAME")]
    [InlineData("Referer", "SAME/admin")]
    public async Task A_same_origin_sign_out_goes_through(string header, string value)
    {
        using var victim = await SignedIn("victim");
        var origin = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var logout = await Send(HttpMethod.Post, "/auth/logout", HeaderOf(victim), (header, value.Replace("SAME", origin, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(1, _server.Probe.RevokeRequests);
    }

    // ---- 7. Smaller hardening ----

    [Fact]
    public async Task A_stray_callback_does_not_abort_a_sign_in_in_progress()
    {
        using var browser = _server.NewClient();
        var login = await browser.GetAsync("/auth/login?returnUrl=/admin", follow: false);
        var stray = await browser.GetAsync("/auth/callback?code=forged&state=forged", follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, stray.StatusCode);
        Assert.DoesNotContain(SetCookies(stray), c => c.StartsWith(".Cognito.SignIn=", StringComparison.Ordinal));

        // The real answer to the sign-in still completes.
        var authorize = new Uri(_server.BaseAddress, login.Headers.Location!);
        var fields = QueryHelpers.ParseQuery(authorize.Query).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).Append(KeyValuePair.Create("username", "jane")).ToList();
        var submitted = await browser.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/authorize", fields, follow: false);
        var callback = await browser.GetAsync(submitted.Headers.Location!.ToString(), follow: false);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/admin", callback.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task JSON_answers_are_not_sniffed_and_sign_in_pages_are_not_framed()
    {
        Assert.Equal("nosniff", (await Send(HttpMethod.Get, "/auth/session", null)).Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("nosniff", (await Send(HttpMethod.Get, "/api/me", null)).Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("nosniff", (await Send(HttpMethod.Get, $"{DevelopmentUserPool.PathBase}/.well-known/jwks.json", null)).Headers.GetValues("X-Content-Type-Options").Single());
        using var browser = _server.NewClient();
        var login = await browser.GetAsync("/auth/login", follow: false);
        var form = await Send(HttpMethod.Get, new Uri(_server.BaseAddress, login.Headers.Location!).PathAndQuery, null);
        Assert.Equal("frame-ancestors 'none'", form.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", form.Headers.GetValues("X-Frame-Options").Single());

        // The token page is browser-Amplify mode's only: elsewhere it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/auth/token", null)).StatusCode);
        await using var amplify = await DemoServer.StartAsync(o => o.BrowserAmplify = true);
        using var http = new HttpClient { BaseAddress = amplify.BaseAddress };
        var token = await http.GetAsync("/auth/token");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("frame-ancestors 'none'", token.Headers.GetValues("Content-Security-Policy").Single());
    }

    // ---- Attacks the flows held before issue 17, named here too ----

    [Fact]
    public async Task A_hostile_username_is_encoded_on_every_page()
    {
        using var user = await SignedIn("<script>alert(1)</script>");
        var page = await user.PageAsync("/");
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_Cookie_header_is_anonymous_and_costs_no_call()
    {
        using var user = await SignedIn("jane");
        var padded = HeaderOf(user) + "; pad=" + new string('x', 70 * 1024);
        var me = await Send(HttpMethod.Get, "/api/me", padded);
        Assert.Contains(me.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.RequestHeaderFieldsTooLarge });
        Assert.Equal(0, _server.Probe.RefreshRequests);
    }

    [Fact]
    public async Task A_CORS_preflight_on_the_session_endpoint_gets_no_permission()
    {
        var preflight = await Send(HttpMethod.Options, "/auth/session", null, ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET"));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        var read = await Send(HttpMethod.Get, "/auth/session", null, ("Origin", "https://evil.example"));
        Assert.False(read.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_state_from_another_browser_is_refused()
    {
        using var victim = _server.NewClient();
        using var attacker = _server.NewClient();
        await victim.GetAsync("/auth/login?returnUrl=/", follow: false);
        var login = await attacker.GetAsync("/auth/login?returnUrl=/", follow: false);
        var attackersState = QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();
        var callback = await victim.GetAsync($"/auth/callback?code=x&state={attackersState}", follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Equal(0, _server.Probe.TokenRequests);
    }
}
