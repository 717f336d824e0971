using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// docs/spec.md, "ASP.NET Core adapter", "Flows" and "Development user pool" on a real server: the demo on Kestrel at 127.0.0.1, the development user pool, a real
/// HttpClient with a cookie container. Sign in → page shows the user → expiry → refresh → sign out.
/// </summary>
public sealed class SignInFlowTests : IAsyncLifetime
{
    private const string Prefix = "CognitoIdentityServiceProvider." + DevelopmentUserPool.ClientId;
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    [Fact]
    public async Task Sign_in_then_the_server_rendered_page_shows_the_user()
    {
        using var browser = _server.NewClient();
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await browser.PageAsync("/")));

        var callback = await browser.SignInAsync("jane.doe", "admin, staff", returnUrl: "/admin");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/admin", callback.Headers.Location!.ToString());
        var cookies = SetCookies(callback);
        Assert.Contains(cookies, c => c.StartsWith($"{Prefix}.LastAuthUser=jane.doe;", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith($"{Prefix}.jane.doe.idToken=eyJ", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith($"{Prefix}.jane.doe.accessToken=eyJ", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith($"{Prefix}.jane.doe.refreshToken=", StringComparison.Ordinal));
        Assert.All(cookies.Where(c => c.StartsWith(Prefix, StringComparison.Ordinal)), c =>
        {
            Assert.Contains("path=/", c);
            Assert.Contains("samesite=lax", c);
            Assert.Contains("httponly", c);
        });

        Assert.Contains("Admin area", await browser.PageAsync("/admin"));
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        var me = await browser.Http.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("jane.doe", me.GetProperty("username").GetString());
        Assert.Equal(["admin", "staff"], me.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task The_cookies_written_are_the_ones_the_core_reads()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("zoë+test@example.com");
        var header = browser.Cookies.GetCookieHeader(_server.BaseAddress);
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [_server.Pool.Pool], ClientId = DevelopmentUserPool.ClientId, Keys = _server.Pool.Keys, TimeProvider = _server.Clock });
        Assert.Equal("zoë+test@example.com", Verdict.Accepted(auth.FromCookieHeader(header)).Username);
        Assert.Contains($"{Prefix}.zo%C3%ABtest%40example.com.idToken=".Replace("zo%C3%ABtest", "zo%C3%AB+test", StringComparison.Ordinal), header);
    }

    [Fact]
    public async Task Expired_tokens_are_refreshed_and_the_cookies_rewritten()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe");
        var before = browser.Cookies.GetCookies(_server.BaseAddress)[$"{Prefix}.jane.doe.idToken"]!.Value;

        _server.Clock.Now += TimeSpan.FromHours(2);
        var page = await browser.GetAsync("/");
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(await page.Content.ReadAsStringAsync()));
        Assert.Equal(1, _server.Probe.RefreshRequests);
        Assert.Contains(SetCookies(page), c => c.StartsWith($"{Prefix}.jane.doe.idToken=eyJ", StringComparison.Ordinal));
        Assert.NotEqual(before, browser.Cookies.GetCookies(_server.BaseAddress)[$"{Prefix}.jane.doe.idToken"]!.Value);

        // The rewritten cookies are good for another hour: no second refresh.
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        Assert.Equal(1, _server.Probe.RefreshRequests);
        Assert.Contains(_server.Logs.Lines, l => l.Event.Id == 3 && l.Event.Name == "SessionRefreshed");
    }

    [Fact]
    public async Task Tokens_about_to_expire_are_refreshed_ahead_of_time()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe");
        _server.Clock.Now += TimeSpan.FromMinutes(56);
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        Assert.Equal(1, _server.Probe.RefreshRequests);
    }

    [Fact]
    public async Task Concurrent_requests_during_a_refresh_cause_exactly_one_token_call()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe");
        _server.Clock.Now += TimeSpan.FromHours(2);
        _server.Probe.TokenLatency = TimeSpan.FromMilliseconds(300);
        var header = browser.Cookies.GetCookieHeader(_server.BaseAddress);
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var requests = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            request.Headers.Add("Cookie", header);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToArray();
        foreach (var (status, body) in await Task.WhenAll(requests))
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"username\":\"jane.doe\"", body);
        }

        Assert.Equal(1, _server.Probe.RefreshRequests);
    }

    [Fact]
    public async Task A_refresh_kept_for_old_cookies_is_never_handed_out_after_its_own_tokens_expired()
    {
        // Found by thirty Blazor circuits of one browser: with tokens that live shorter than a success is kept
        // for the requests still carrying the old cookies (a minute), the next refresh with the same refresh
        // token (Cognito keeps it unless rotation is on) got the kept tokens after they had expired too, and
        // the session was anonymous. (With the default minute of clock skew the kept tokens
        // outlive the minute; the Blazor tests, like this one, accept tokens to the second.)
        await using var server = await DemoServer.StartAsync(o => o.ClockSkew = TimeSpan.Zero);
        server.Pool.TokenLifetime = TimeSpan.FromSeconds(20);
        using var browser = server.NewClient();
        await browser.SignInAsync("jane.doe");
        var first = browser.Cookies.GetCookieHeader(server.BaseAddress);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        async Task<string> WelcomeWith(string header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", header);
            using var response = await http.SendAsync(request);
            return DemoServer.Client.Welcome(await response.Content.ReadAsStringAsync());
        }

        server.Clock.Now += TimeSpan.FromSeconds(25);
        Assert.Equal("jane.doe", await WelcomeWith(first));
        Assert.Equal(1, server.Probe.RefreshRequests);

        // 50 s after sign-in: the kept success is 25 s old, its tokens expired 5 s ago. Ten requests at once
        // with the first cookies: all signed in, one new call to the pool.
        server.Clock.Now += TimeSpan.FromSeconds(25);
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => WelcomeWith(first))), welcome => Assert.Equal("jane.doe", welcome));
        Assert.Equal(2, server.Probe.RefreshRequests);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Message.Contains("refreshed tokens refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_out_revokes_clears_every_cookie_and_lands_on_Cognito_logout()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe", "admin");
        var refreshToken = browser.Cookies.GetCookies(_server.BaseAddress)[$"{Prefix}.jane.doe.refreshToken"]!.Value;
        var logout = await browser.PostAsync("/auth/logout", [], follow: false);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var location = new Uri(_server.BaseAddress, logout.Headers.Location!);
        Assert.Equal($"{DevelopmentUserPool.PathBase}/logout", location.AbsolutePath);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(DevelopmentUserPool.ClientId, query["client_id"]);
        Assert.Equal(new Uri(_server.BaseAddress, "/").ToString(), query["logout_uri"]);

        var expired = SetCookies(logout);
        foreach (var name in new[] { "LastAuthUser", "jane.doe.idToken", "jane.doe.accessToken", "jane.doe.refreshToken", "jane.doe.clockDrift" })
        {
            Assert.Contains(expired, c => c.StartsWith($"{Prefix}.{name}=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal) && c.Contains("path=/", StringComparison.Ordinal));
        }

        Assert.Equal(1, _server.Probe.RevokeRequests);
        var landed = await browser.Follow(logout);
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await landed.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(browser.Cookies.GetCookies(_server.BaseAddress), c => c.Name.StartsWith(Prefix, StringComparison.Ordinal));

        // The revoked refresh token cannot bring the session back.
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var refresh = await http.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = DevelopmentUserPool.ClientId, ["refresh_token"] = refreshToken,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task Logout_is_POST_only()
    {
        using var browser = _server.NewClient();
        var response = await browser.GetAsync("/auth/logout", follow: false);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Signed_out_APIs_get_401_and_pages_a_redirect_to_sign_in()
    {
        using var browser = _server.NewClient();
        var api = await browser.GetAsync("/api/me", follow: false);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.StartsWith("CognitoCookies", api.Headers.WwwAuthenticate.ToString());

        var page = await browser.GetAsync("/admin?tab=1", follow: false);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Fadmin%3Ftab%3D1", page.Headers.Location!.ToString());

        using var json = new HttpRequestMessage(HttpMethod.Get, "/admin");
        json.Headers.Add("Accept", "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.SendAsync(json)).StatusCode);
    }

    [Fact]
    public async Task The_admin_page_is_only_for_the_admin_group()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("bob", "staff");
        var response = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Forbidden", await response.Content.ReadAsStringAsync());
        Assert.Equal("bob", DemoServer.Client.Welcome(await browser.PageAsync("/")));
    }

    [Fact]
    public async Task The_session_endpoint_and_the_sync_script()
    {
        using var browser = _server.NewClient();
        var anonymous = await browser.Http.GetFromJsonAsync<JsonElement>("/auth/session");
        Assert.False(anonymous.GetProperty("signedIn").GetBoolean());
        await browser.SignInAsync("jane.doe", "admin");
        var session = await browser.Http.GetFromJsonAsync<JsonElement>("/auth/session");
        Assert.True(session.GetProperty("signedIn").GetBoolean());
        Assert.Equal("jane.doe", session.GetProperty("username").GetString());
        var script = await browser.GetAsync("/auth/sync.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("auth_sync_key", await script.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_state_mismatch_is_refused_and_writes_no_session()
    {
        using var browser = _server.NewClient();
        await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
        var response = await browser.GetAsync("/auth/callback?code=anything&state=forged", follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("state mismatch", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith(Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_without_a_sign_in_in_progress_is_refused()
    {
        using var browser = _server.NewClient();
        var response = await browser.GetAsync("/auth/callback?code=x&state=y", follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_older_than_five_minutes_is_refused()
    {
        using var browser = _server.NewClient();
        var login = await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
        var state = QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, login.Headers.Location!).Query)["state"];
        _server.Clock.Now += TimeSpan.FromMinutes(6);
        var response = await browser.GetAsync($"/auth/callback?code=x&state={state}", follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_authorization_code_is_refused()
    {
        using var browser = _server.NewClient();
        var login = await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
        var flowCookie = browser.Cookies.GetCookies(new Uri(_server.BaseAddress, "/auth/callback"))[".Cognito.SignIn"]!;
        var authorize = new Uri(_server.BaseAddress, login.Headers.Location!);
        var fields = QueryHelpers.ParseQuery(authorize.Query).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).Append(KeyValuePair.Create("username", "jane")).ToList();
        var submitted = await browser.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/authorize", fields, follow: false);
        var callbackUrl = submitted.Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callbackUrl, follow: false)).StatusCode);

        // An attacker who captured both the flow cookie and the callback URL replays them.
        using var attacker = _server.NewClient();
        attacker.Cookies.Add(new Uri(_server.BaseAddress, "/auth/callback"), new Cookie(flowCookie.Name, flowCookie.Value, "/auth"));
        var tokenCalls = _server.Probe.TokenRequests;
        var replay = await attacker.GetAsync(callbackUrl, follow: false);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("this sign-in was already used", await replay.Content.ReadAsStringAsync()); // the flow is single-use: refused before Cognito
        Assert.Equal(tokenCalls, _server.Probe.TokenRequests);
        Assert.DoesNotContain(SetCookies(replay), c => c.StartsWith(Prefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("/%0d%0aSet-Cookie:x=y")]
    public async Task Open_redirect_attempts_land_on_the_home_page(string returnUrl)
    {
        using var browser = _server.NewClient();
        var callback = await browser.SignInAsync("jane", returnUrl: returnUrl);
        var location = callback.Headers.Location!.ToString();
        Assert.True(location == "/" || (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal)), location);
        Assert.DoesNotContain("evil", location.StartsWith("/%", StringComparison.Ordinal) ? "" : location);
    }

    [Fact]
    public async Task A_local_return_url_is_kept()
    {
        using var browser = _server.NewClient();
        var callback = await browser.SignInAsync("jane", returnUrl: "/admin?x=1#top");
        Assert.Equal("/admin?x=1#top", callback.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_development_pool_checks_PKCE()
    {
        using var browser = _server.NewClient();
        var login = await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
        var authorize = new Uri(_server.BaseAddress, login.Headers.Location!);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        async Task<string> Code()
        {
            var fields = query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).Append(KeyValuePair.Create("username", "jane")).ToList();
            var submitted = await browser.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/authorize", fields, follow: false);
            return QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, submitted.Headers.Location!).Query)["code"].ToString();
        }

        async Task<HttpStatusCode> Token(string code, string? verifier)
        {
            var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["client_id"] = DevelopmentUserPool.ClientId, ["code"] = code, ["redirect_uri"] = query["redirect_uri"]! };
            if (verifier is not null)
            {
                form["code_verifier"] = verifier;
            }

            return (await browser.Http.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/token", new FormUrlEncodedContent(form))).StatusCode;
        }

        Assert.Equal(HttpStatusCode.BadRequest, await Token(await Code(), verifier: null));
        Assert.Equal(HttpStatusCode.BadRequest, await Token(await Code(), verifier: new string('a', 43)));

        var plain = authorize.ToString().Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(plain, follow: false)).StatusCode);
        var otherRedirect = QueryHelpers.AddQueryString($"{DevelopmentUserPool.PathBase}/oauth2/authorize", query.Where(q => q.Key != "redirect_uri").ToDictionary(q => q.Key, q => (string?)q.Value.ToString()).Append(KeyValuePair.Create("redirect_uri", (string?)"https://evil.example/callback")));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(otherRedirect, follow: false)).StatusCode);
    }

    [Fact]
    public async Task A_refused_session_is_anonymous_and_logged_at_debug_with_its_code()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane");
        var idToken = browser.Cookies.GetCookies(_server.BaseAddress)[$"{Prefix}.jane.idToken"]!;
        idToken.Value = idToken.Value[..^6] + "AAAAAA";
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        var line = Assert.Single(_server.Logs.Lines, l => l.Event.Id == 1);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, line.Level);
        Assert.Equal("SessionRefused", line.Event.Name);
        Assert.StartsWith("Cognito session refused: bad-signature", line.Message);
    }

    [Fact]
    public async Task Logs_never_contain_a_token_a_code_or_a_refresh_token()
    {
        using var browser = _server.NewClient();
        var callback = await browser.SignInAsync("jane", "admin");
        var code = QueryHelpers.ParseQuery(browser.Hops.Select(h => h.Headers.Location).Where(l => l is not null && l.ToString().Contains("code=", StringComparison.Ordinal)).Select(l => new Uri(_server.BaseAddress, l!).Query).First())["code"].ToString();
        _server.Clock.Now += TimeSpan.FromHours(2);
        await browser.PageAsync("/");
        await browser.PostAsync("/auth/logout", []);
        var secrets = browser.Hops.SelectMany(SetCookies).Select(c => c.Split(';')[0].Split('=', 2)[1]).Where(v => v.Length > 20).Append(code).ToList();
        Assert.True(secrets.Count >= 4);
        foreach (var line in _server.Logs.Lines)
        {
            // A whole token, code or refresh token, or a JWT's payload or signature segment.
            Assert.DoesNotContain(secrets.SelectMany(s => s.Split('.').Skip(s.Contains('.', StringComparison.Ordinal) ? 1 : 0).Append(s)), part => line.Message.Contains(part, StringComparison.Ordinal));
        }

        Assert.Contains(_server.Logs.Lines, l => l.Event.Name == "SignedIn");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
    }
}
