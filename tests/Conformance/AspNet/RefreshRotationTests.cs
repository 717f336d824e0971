using System.Net;
using Cognito.AspNet.Development;
using Microsoft.Extensions.DependencyInjection;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Refresh-token rotation (an app client setting): each refresh answers a new refresh token, the old
/// one works for the grace period only. Two instances of the app on one development pool, one clock:
/// the new token reaches the cookies, one instance keeps its single flight, and a refresh that loses
/// the race on the other instance never signs the user out while the winner's cookies can still come.
/// </summary>
public sealed class RefreshRotationTests : IAsyncLifetime, IDisposable
{
    private const string Prefix = $"CognitoIdentityServiceProvider.{DevelopmentUserPool.ClientId}";
    private readonly FixedClock _clock = new(DateTimeOffset.UtcNow);
    private readonly PoolProbe _probe = new(); // both instances' calls to the shared pool
    private DevelopmentUserPool _pool = null!;
    private DemoServer _a = null!;
    private DemoServer _b = null!;

    public async Task InitializeAsync()
    {
        _pool = new DevelopmentUserPool(_clock) { RotateRefreshTokens = true, RefreshTokenGracePeriod = TimeSpan.FromSeconds(10) };
        void Shared(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
        {
            builder.Services.AddSingleton<TimeProvider>(_clock);
            builder.Services.AddSingleton(_pool);
            _probe.AddTo(builder.Services);
        }

        _a = await DemoServer.StartAsync(customize: Shared);
        _b = await DemoServer.StartAsync(customize: Shared);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    public void Dispose() => _pool.Dispose();

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    private static string RefreshTokenOf(DemoServer server, DemoServer.Client browser) =>
        browser.Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.jane.doe.refreshToken"]!.Value;

    private async Task<(DemoServer.Client Browser, string OldHeader, string OldRefreshToken)> SignedInThenExpiredAsync()
    {
        var browser = _a.NewClient();
        await browser.SignInAsync("jane.doe");
        _clock.Now += TimeSpan.FromHours(2);
        return (browser, browser.Cookies.GetCookieHeader(_a.BaseAddress), RefreshTokenOf(_a, browser));
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_written_to_the_cookies_and_the_old_one_stops_working_after_the_grace_period()
    {
        var (browser, _, old) = await SignedInThenExpiredAsync();
        using (browser)
        {
            var page = await browser.GetAsync("/");

            Assert.Equal("jane.doe", DemoServer.Client.Welcome(await page.Content.ReadAsStringAsync()));
            Assert.Contains(SetCookies(page), c => c.StartsWith($"{Prefix}.jane.doe.refreshToken=", StringComparison.Ordinal));
            var rotated = RefreshTokenOf(_a, browser);
            Assert.NotEqual(old, rotated);
            Assert.NotNull(_pool.UseRefreshToken(old)); // still inside the grace period
            _clock.Now += TimeSpan.FromSeconds(11);
            Assert.Null(_pool.UseRefreshToken(old));
            Assert.NotNull(_pool.UseRefreshToken(rotated));
        }
    }

    [Fact]
    public async Task Concurrent_requests_on_one_instance_still_make_one_token_call_with_rotation()
    {
        var (browser, header, _) = await SignedInThenExpiredAsync();
        using (browser)
        {
            _probe.TokenLatency = TimeSpan.FromMilliseconds(300);
            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _a.SendAsync(HttpMethod.Get, "/api/me", header)));

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            Assert.Equal(1, _probe.RefreshRequests);
            // Every answer carries the one new refresh token: whichever lands last, the browser keeps a live one.
            var written = answers.SelectMany(SetCookies).Where(c => c.StartsWith($"{Prefix}.jane.doe.refreshToken=", StringComparison.Ordinal)).Distinct().ToList();
            Assert.Single(written);
        }
    }

    [Fact]
    public async Task A_refresh_that_loses_the_race_on_another_instance_keeps_the_cookies_and_the_retry_with_the_winners_cookies_is_signed_in()
    {
        var (browser, oldHeader, _) = await SignedInThenExpiredAsync();
        using (browser)
        {
            // A wins: the browser gets the rotated cookies.
            Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
            _clock.Now += TimeSpan.FromSeconds(11); // past the grace period

            // A request sent with the old cookies before A's answer arrived reaches B: B's refresh is refused.
            var lost = await _b.SendAsync(HttpMethod.Get, "/admin?tab=1", oldHeader, ("Accept", "text/html"));

            Assert.Equal(HttpStatusCode.Found, lost.StatusCode);
            Assert.Equal("/admin?tab=1", lost.Headers.Location!.OriginalString);
            var cookies = SetCookies(lost);
            Assert.DoesNotContain(cookies, c => c.StartsWith(Prefix, StringComparison.Ordinal)); // nothing cleared
            var marker = Assert.Single(cookies, c => c.StartsWith(".Cognito.Refresh=", StringComparison.Ordinal));
            Assert.Contains("httponly", marker, StringComparison.OrdinalIgnoreCase);

            // The browser asks again with what it holds now: A's cookies, and the marker.
            var retry = await _b.SendAsync(HttpMethod.Get, "/", browser.Cookies.GetCookieHeader(_a.BaseAddress) + "; " + marker.Split(';')[0], ("Accept", "text/html"));
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal("jane.doe", DemoServer.Client.Welcome(await retry.Content.ReadAsStringAsync()));
        }
    }

    [Fact]
    public async Task When_the_winners_answer_was_lost_the_retry_ends_the_session_cleanly_anonymous_with_the_cookies_cleared()
    {
        var (browser, oldHeader, _) = await SignedInThenExpiredAsync();
        using (browser)
        {
            // A refreshed, but its answer never reached the browser (the old cookies are all it has).
            Assert.Equal(HttpStatusCode.OK, (await _a.SendAsync(HttpMethod.Get, "/api/me", oldHeader)).StatusCode);
            _clock.Now += TimeSpan.FromSeconds(11);

            var first = await _b.SendAsync(HttpMethod.Get, "/", oldHeader, ("Accept", "text/html"));
            var marker = Assert.Single(SetCookies(first), c => c.StartsWith(".Cognito.Refresh=", StringComparison.Ordinal)).Split(';')[0];
            var retry = await _b.SendAsync(HttpMethod.Get, "/", oldHeader + "; " + marker, ("Accept", "text/html"));

            Assert.Equal(HttpStatusCode.Found, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal("anonymous", DemoServer.Client.Welcome(await retry.Content.ReadAsStringAsync()));
            var cleared = SetCookies(retry);
            foreach (var name in new[] { "LastAuthUser", "jane.doe.idToken", "jane.doe.accessToken", "jane.doe.refreshToken" })
            {
                Assert.Contains(cleared, c => c.StartsWith($"{Prefix}.{name}=;", StringComparison.Ordinal));
            }

            Assert.Contains(cleared, c => c.StartsWith(".Cognito.Refresh=;", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_api_request_that_loses_the_race_is_answered_401_with_its_cookies_kept_never_a_500()
    {
        var (browser, oldHeader, _) = await SignedInThenExpiredAsync();
        using (browser)
        {
            Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
            _clock.Now += TimeSpan.FromSeconds(11);

            var api = await _b.SendAsync(HttpMethod.Get, "/api/me", oldHeader);

            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
            Assert.DoesNotContain(SetCookies(api), c => c.StartsWith(Prefix, StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await _b.SendAsync(HttpMethod.Get, "/api/me", browser.Cookies.GetCookieHeader(_a.BaseAddress))).StatusCode);
        }
    }

    [Fact]
    public async Task Inside_the_grace_period_the_other_instance_refreshes_with_the_old_token_too()
    {
        var (browser, oldHeader, _) = await SignedInThenExpiredAsync();
        using (browser)
        {
            Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));

            var late = await _b.SendAsync(HttpMethod.Get, "/api/me", oldHeader);

            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
            Assert.Equal(2, _probe.RefreshRequests);
        }
    }
}
