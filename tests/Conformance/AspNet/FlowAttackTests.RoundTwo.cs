using System.Net;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The attack catalogue, round two (issue 24): the session's life between requests — a refused refresh
/// that would redirect off the site, the used-state store and the budgets one client or a few addresses
/// could fill, big tokens that lock a user out, a revoked session that keeps refreshing, the refresh
/// marker read last-wins, and sign-out that must hold for copied cookies. Clients of their own address
/// connect from 127.0.0.N (all of 127/8 is this machine's loopback).
/// </summary>
public sealed partial class FlowAttackTests
{
    private readonly ITestOutputHelper _output;

    public FlowAttackTests(ITestOutputHelper output) => _output = output;

    private static IPAddress Address(int n) => IPAddress.Parse($"127.0.{n / 250}.{(n % 250) + 2}");

    private SpentStates SpentStates => _server.Services.GetRequiredService<CognitoRuntimes>().Of(_server.Services.GetRequiredService<IOptionsMonitor<CognitoCookiesOptions>>().Get(CognitoCookiesDefaults.AuthenticationScheme)).SpentStates;

    // ---- 8. A refused refresh sends the browser home, never to another host ----

    [Theory]
    [InlineData("//evil.example/x?y=1")]
    [InlineData("///evil.example/x?y=1")]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example/x")]
    public async Task A_refused_refresh_never_redirects_off_the_site(string path)
    {
        using var victim = await SignedIn("victim");
        var refused = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), "revoked-elsewhere", StringComparison.Ordinal);
        _server.Clock.Now += TimeSpan.FromHours(2); // expired: the page navigation refreshes, Cognito says invalid_grant

        var page = await _server.SendAsync(null, HttpMethod.Get, path, refused, ("Accept", "text/html"));

        Assert.Equal(1, _server.Probe.RefreshRequests);
        if (page.StatusCode == HttpStatusCode.Found)
        {
            var location = page.Headers.Location!.OriginalString;
            Assert.StartsWith("/", location, StringComparison.Ordinal);
            Assert.False(location.StartsWith("//", StringComparison.Ordinal) || location.StartsWith("/\\", StringComparison.Ordinal), $"Location {location} leaves the site");
            Assert.Equal(location, new Uri(_server.BaseAddress, location).PathAndQuery);
        }
    }

    [Fact]
    public async Task A_refused_refresh_on_a_local_page_still_goes_back_to_that_page()
    {
        using var victim = await SignedIn("victim");
        var refused = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), "revoked-elsewhere", StringComparison.Ordinal);
        _server.Clock.Now += TimeSpan.FromHours(2);

        var page = await _server.SendAsync(null, HttpMethod.Get, "/users/victim?tab=1", refused, ("Accept", "text/html"));

        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.Equal("/users/victim?tab=1", page.Headers.Location!.OriginalString);
    }

    // ---- 9. The used-state store, spent only within a client's budget ----

    [Fact]
    public async Task One_client_spends_no_more_sign_in_states_than_its_budget_and_cannot_fill_the_store()
    {
        using var attacker = _server.NewClient();
        var answers = new List<HttpStatusCode>();
        var started = DateTime.UtcNow;
        for (var i = 0; i < 150; i++)
        {
            var login = await attacker.GetAsync("/auth/login?returnUrl=/", follow: false);
            var state = QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();
            answers.Add((await attacker.GetAsync($"/auth/callback?code=forged{i}&state={state}", follow: false)).StatusCode);
        }

        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        _output.WriteLine($"150 callbacks with fresh states from one address in {seconds:0.0} s: {SpentStates.Count} states spent, {answers.Count(a => a == HttpStatusCode.TooManyRequests)} answered 429");

        // The per-client budget (20 a minute, a few more replenished while the loop runs), not 150.
        Assert.InRange(SpentStates.Count, 1, 25);
        Assert.Equal(SpentStates.Count, _server.Probe.TokenRequests);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
    }

    [Fact]
    public void The_used_state_store_bounds_each_client_and_frees_expired_states()
    {
        var now = DateTimeOffset.UnixEpoch;
        var store = new SpentStates(capacity: 10, perClient: 3);
        Assert.Equal(SpentStates.Outcome.Fresh, store.TrySpend("a1", now.AddMinutes(5), now, "10.0.0.1"));
        Assert.Equal(SpentStates.Outcome.Replayed, store.TrySpend("a1", now.AddMinutes(5), now, "10.0.0.1"));
        Assert.Equal(SpentStates.Outcome.Fresh, store.TrySpend("a2", now.AddMinutes(1), now, "10.0.0.1"));
        Assert.Equal(SpentStates.Outcome.Fresh, store.TrySpend("a3", now.AddMinutes(5), now, "10.0.0.1"));
        Assert.Equal(SpentStates.Outcome.ClientFull, store.TrySpend("a4", now.AddMinutes(5), now, "10.0.0.1"));
        Assert.Equal(SpentStates.Outcome.Fresh, store.TrySpend("b1", now.AddMinutes(5), now, "10.0.0.2"));
        Assert.True(store.WasSpent("a1"));
        Assert.False(store.WasSpent("a4"));

        // One of the client's states expired: its place is free again.
        Assert.Equal(SpentStates.Outcome.Fresh, store.TrySpend("a4", now.AddMinutes(5), now.AddMinutes(2), "10.0.0.1"));

        // The store as a whole is still bounded: full of live states, a new one is refused.
        for (var i = 0; i < 6; i++)
        {
            store.TrySpend($"c{i}", now.AddMinutes(5), now.AddMinutes(2), $"10.0.1.{i}");
        }

        Assert.Equal(10, store.Count);
        Assert.Equal(SpentStates.Outcome.Full, store.TrySpend("d", now.AddMinutes(5), now.AddMinutes(2), "10.0.2.1"));
    }

    // ---- 10. Budgets a few addresses cannot drain for everyone ----

    [Fact]
    public async Task Forty_addresses_signing_out_eight_hundred_times_fail_no_one_elses_sign_in()
    {
        var attackers = new List<(IPAddress From, string Cookies)>();
        for (var i = 0; i < 40; i++)
        {
            using var client = _server.NewClient(Address(10 + i));
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync($"attacker{i}")).StatusCode);
            attackers.Add((Address(10 + i), HeaderOf(client)));
        }

        // The 40 sign-ins above spent most of one second's sign-in budget (50 a second): start the flood on a fresh second.
        await Task.Delay(1100);

        // Each address signs out 20 times with its own session, copied and reused, while 15 others sign in.
        var flood = attackers.Select(a => Task.Run(async () =>
        {
            for (var j = 0; j < 20; j++)
            {
                await _server.SendAsync(a.From, HttpMethod.Post, "/auth/logout", a.Cookies);
            }
        })).ToList();
        var signIns = Enumerable.Range(0, 15).Select(i => Task.Run(async () =>
        {
            using var user = _server.NewClient(Address(100 + i));
            return (await user.SignInAsync($"user{i}")).StatusCode;
        })).ToList();
        await Task.WhenAll(flood);
        var outcomes = await Task.WhenAll(signIns);

        var failed = outcomes.Count(status => status != HttpStatusCode.Redirect);
        _output.WriteLine($"40 addresses x 20 sign-outs: {_server.Probe.RevokeRequests} revoke calls; legitimate sign-ins failed: {failed} of 15 ({string.Join(", ", outcomes)})");
        Assert.Equal(0, failed);
        Assert.Equal(40, _server.Probe.RevokeRequests); // one per session, however often it signs out
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("::1", "::/64")]
    public void IPv6_clients_are_budgeted_per_64_and_mapped_IPv4_as_IPv4(string address, string client) =>
        Assert.Equal(client, BackchannelRateLimiter.ClientOf(IPAddress.Parse(address)));

    [Fact]
    public void A_client_without_an_address_has_a_budget_too() => Assert.Equal("unknown", BackchannelRateLimiter.ClientOf(null));

    [Fact]
    public void Revokes_and_refreshes_spend_their_own_server_budget_never_sign_in()
    {
        using var limiter = new BackchannelRateLimiter(perClientPerMinute: 0, overallPerSecond: 5);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(context, BackchannelCall.Revoke)));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(context, BackchannelCall.Refresh)));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(context, BackchannelCall.SignIn)));
    }

    [Fact]
    public void A_client_over_its_own_budget_spends_none_of_the_server_budget()
    {
        using var limiter = new BackchannelRateLimiter(perClientPerMinute: 2, overallPerSecond: 3);
        var greedy = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        greedy.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        var other = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        other.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.2");
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(greedy, BackchannelCall.SignIn)));
        Assert.True(limiter.TryAcquire(other, BackchannelCall.SignIn));
        Assert.False(limiter.TryAcquire(other, BackchannelCall.SignIn)); // the server's 3 a second are spent: 2 + 1
    }

    // ---- 11. Tokens too large for the server's header limit ----

    [Fact]
    public async Task A_user_whose_cookies_would_pass_the_server_header_limit_is_refused_at_sign_in_with_a_clear_page()
    {
        using var user = _server.NewClient();
        // 560 groups with names of 16 characters: each token just under 16 KiB, as in the report.
        var groups = string.Join(",", Enumerable.Range(1, 560).Select(i => $"team-{i:000}-members"));

        var callback = await user.SignInAsync("many.groups", groups);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        var page = await callback.Content.ReadAsStringAsync();
        Assert.Contains("too large for this site", page);
        Assert.DoesNotContain(SetCookies(callback), c => c.StartsWith(Prefix, StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        var warning = Assert.Single(Logs(), l => l.Event.Name == "SessionTooLargeForServer");
        Assert.Contains("MaxRequestHeadersTotalSize", warning.Message);

        // Nothing was written: the next request and sign-out reach the app.
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await user.PostAsync("/auth/logout", [], follow: false)).StatusCode);
    }

    [Fact]
    public async Task A_user_with_large_tokens_that_fit_signs_in_and_can_still_sign_out()
    {
        using var user = _server.NewClient();
        var groups = string.Join(",", Enumerable.Range(1, 420).Select(i => $"group-{i:000}"));

        var callback = await user.SignInAsync("big.groups", groups);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var header = HeaderOf(user);
        Assert.InRange(header.Length, 14_000, 32 * 1024 - CookieHeaderBudget.OtherHeaders);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout") { Content = new FormUrlEncodedContent([]) };
        logout.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36");
        logout.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        logout.Headers.TryAddWithoutValidation("Referer", new Uri(_server.BaseAddress, "/users/" + new string('x', 1500)).ToString());
        logout.Headers.TryAddWithoutValidation("Origin", _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Redirect, (await user.Http.SendAsync(logout)).StatusCode);
    }

    // ---- 12. A revoked session gets no fresh tokens from memory ----

    [Fact]
    public async Task Copied_expired_cookies_replayed_after_sign_out_get_no_fresh_tokens()
    {
        using var user = await SignedIn("jane");
        var copied = HeaderOf(user);
        _server.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal("jane", await AnsweredAs(await user.GetAsync("/api/me"))); // refreshed: the success is kept for a minute
        Assert.Equal(1, _server.Probe.RefreshRequests);

        await user.PostAsync("/auth/logout", [], follow: false);
        _server.Clock.Now += TimeSpan.FromSeconds(40);
        var replay = await Send(HttpMethod.Get, "/api/me", copied);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.DoesNotContain(SetCookies(replay), c => c.Contains(".idToken=ey", StringComparison.Ordinal));
        Assert.Equal(1, _server.Probe.RefreshRequests);
        Assert.Contains(Logs(), l => l.Event.Name == "SessionRefused" && l.Message.StartsWith("Cognito session refused: signed-out", StringComparison.Ordinal));
    }

    // ---- 13. The development pool answers any body as Cognito does ----

    [Theory]
    [InlineData("/oauth2/token", "application/json", "{\"grant_type\":\"refresh_token\"}")]
    [InlineData("/oauth2/token", "text/plain", "grant_type=refresh_token")]
    [InlineData("/oauth2/token", null, "grant_type=refresh_token")]
    [InlineData("/oauth2/token", "multipart/form-data", "--x\r\n")]
    [InlineData("/oauth2/token", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--x--\r\n")]
    [InlineData("/oauth2/revoke", "application/json", "{\"token\":\"x\"}")]
    [InlineData("/oauth2/revoke", "text/plain", "token=x")]
    [InlineData("/oauth2/revoke", null, "token=x")]
    [InlineData("/oauth2/revoke", "multipart/form-data", "--x\r\n")]
    [InlineData("/oauth2/authorize", "application/json", "{\"username\":\"x\"}")]
    [InlineData("/oauth2/authorize", "text/plain", "username=x")]
    [InlineData("/oauth2/authorize", null, "username=x")]
    [InlineData("/oauth2/authorize", "multipart/form-data", "--x\r\n")]
    public async Task The_development_pool_answers_a_body_of_the_wrong_kind_with_a_400_never_a_500(string endpoint, string? contentType, string body)
    {
        var answer = await PostRaw(endpoint, contentType, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text);
        if (endpoint != "/oauth2/authorize")
        {
            Assert.Equal("{\"error\":\"invalid_request\"}", text);
        }
    }

    [Theory]
    [InlineData("/oauth2/token")]
    [InlineData("/oauth2/revoke")]
    [InlineData("/oauth2/authorize")]
    public async Task The_development_pool_answers_a_4_MB_form_value_with_a_400_never_a_500(string endpoint)
    {
        var answer = await PostRaw(endpoint, "application/x-www-form-urlencoded", "grant_type=refresh_token&token=" + new string('a', 4 * 1024 * 1024 + 1));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.DoesNotContain("   at ", await answer.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostRaw(string endpoint, string? contentType, string body)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await http.PostAsync($"{DevelopmentUserPool.PathBase}{endpoint}", content);
    }

    // ---- 14. The refresh marker, whichever order the cookies come in ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_tossed_refresh_marker_beside_the_real_one_never_loops_the_browser(bool tossedAfter)
    {
        using var victim = await SignedIn("victim");
        var refused = HeaderOf(victim).Replace(CookieOf(victim, $"{Prefix}.victim.refreshToken"), "revoked-elsewhere", StringComparison.Ordinal);
        _server.Clock.Now += TimeSpan.FromHours(2);
        var first = await Send(HttpMethod.Get, "/", refused, ("Accept", "text/html"));
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        var marker = SetCookies(first).Single(c => c.StartsWith(".Cognito.Refresh=", StringComparison.Ordinal)).Split(';')[0];

        var tossed = ".Cognito.Refresh=tossed";
        var again = await Send(HttpMethod.Get, "/", tossedAfter ? $"{refused}; {marker}; {tossed}" : $"{tossed}; {refused}; {marker}", ("Accept", "text/html"));

        // The browser came back with the refused token: the session is over, not sent round again.
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(SetCookies(again), c => c.StartsWith($"{Prefix}.victim.idToken=;", StringComparison.Ordinal));
    }
}
