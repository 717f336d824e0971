using System.Net;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Issue 24, finding 8: a sign-out holds for cookies copied before it — refused with <c>signed-out</c>
/// until the tokens expire, as cookies and as a bearer token, never refreshed back to life — read from
/// the app's <see cref="IDistributedCache"/> at most once per session per <c>SignOutCheckInterval</c>,
/// and refused (fail closed) while that store does not answer. Across instances: <see cref="FarmWalkTests"/>.
/// </summary>
public sealed class SignOutHoldsTests : IAsyncLifetime
{
    private const string Prefix = "CognitoIdentityServiceProvider." + DevelopmentUserPool.ClientId;
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SignedOutSessions Store => _server.Services.GetRequiredService<SignedOutSessions>();

    private static async Task<(DemoServer.Client Browser, string Copied)> SignedIn(DemoServer server, string user)
    {
        var browser = server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(user)).StatusCode);
        return (browser, browser.Cookies.GetCookieHeader(server.BaseAddress));
    }

    private static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    private static string AccessTokenIn(string header) =>
        header.Split("; ").Single(c => c.Contains(".accessToken=", StringComparison.Ordinal)).Split('=', 2)[1];

    [Fact]
    public async Task Cookies_copied_before_sign_out_are_refused_with_signed_out_and_cleared()
    {
        var (browser, copied) = await SignedIn(_server, "jane");
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, "/api/me", copied)).StatusCode);

        await browser.PostAsync("/auth/logout", [], follow: false);
        var replay = await _server.SendAsync(HttpMethod.Get, "/", copied);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("Welcome anonymous", await replay.Content.ReadAsStringAsync());
        Assert.Contains(SetCookies(replay), c => c.StartsWith($"{Prefix}.jane.idToken=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.SendAsync(HttpMethod.Get, "/api/me", copied)).StatusCode);
        var refused = _server.Logs.Lines.Last(l => l.Event.Name == "SessionRefused");
        Assert.StartsWith("Cognito session refused: signed-out", refused.Message);
        browser.Dispose();
    }

    [Fact]
    public async Task The_access_token_of_a_signed_out_session_is_refused_as_a_bearer_token()
    {
        var (browser, copied) = await SignedIn(_server, "jane");
        var bearer = ("Authorization", $"Bearer {AccessTokenIn(copied)}");
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, "/api/me", null, bearer)).StatusCode);

        await browser.PostAsync("/auth/logout", [], follow: false);
        var after = await _server.SendAsync(HttpMethod.Get, "/api/me", null, bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"signed-out\"", after.Headers.WwwAuthenticate.ToString());
        browser.Dispose();
    }

    [Fact]
    public async Task A_session_signed_out_on_another_instance_is_never_refreshed_back_to_life()
    {
        // Another instance recorded the sign-out in the shared store, and its revoke did not reach Cognito:
        // the refresh token would still work there.
        var (browser, copied) = await SignedIn(_server, "jane");
        var originJti = System.Text.Json.JsonDocument.Parse(Jws.FromBase64Url(AccessTokenIn(copied).Split('.')[1])).RootElement.GetProperty("origin_jti").GetString();
        await _server.Services.GetRequiredService<IDistributedCache>().SetAsync(SignedOutSessions.KeyPrefix + originJti, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1) });
        _server.Clock.Now += TimeSpan.FromHours(2);

        var replay = await _server.SendAsync(HttpMethod.Get, "/api/me", copied);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(0, _server.Probe.RefreshRequests);
        Assert.Equal(0, _server.Probe.RevokeRequests);
        Assert.StartsWith("Cognito session refused: signed-out", _server.Logs.Lines.Last(l => l.Event.Name == "SessionRefused").Message);
        browser.Dispose();
    }

    [Fact]
    public async Task Signing_out_again_with_the_same_session_costs_no_second_revoke()
    {
        var (browser, copied) = await SignedIn(_server, "jane");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await _server.SendAsync(HttpMethod.Post, "/auth/logout", copied)).StatusCode);
        }

        Assert.Equal(1, _server.Probe.RevokeRequests);
        browser.Dispose();
    }

    [Fact]
    public async Task The_store_is_read_once_per_session_per_interval_and_a_sign_in_after_a_sign_out_is_a_new_session()
    {
        var (browser, copied) = await SignedIn(_server, "jane");
        var reads = Store.StoreReads;
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, "/api/me", copied)).StatusCode);
        }

        Assert.Equal(reads + 1, Store.StoreReads);
        _server.Clock.Now += TimeSpan.FromSeconds(6);
        await _server.SendAsync(HttpMethod.Get, "/api/me", copied);
        Assert.Equal(reads + 2, Store.StoreReads);

        await browser.PostAsync("/auth/logout", [], follow: false);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("jane")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
        browser.Dispose();
    }

    [Fact]
    public async Task A_sign_out_store_that_does_not_answer_refuses_sessions_and_says_so()
    {
        var store = new FailingCache();
        await using var server = await DemoServer.StartAsync(customize: b => b.Services.AddSingleton<IDistributedCache>(store));
        var (browser, copied) = await SignedIn(server, "jane");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api/me", copied)).StatusCode);

        store.Failing = true;
        server.Clock.Now += TimeSpan.FromSeconds(6);
        var refused = await server.SendAsync(HttpMethod.Get, "/api/me", copied);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(SetCookies(refused), c => c.StartsWith(Prefix, StringComparison.Ordinal)); // kept: only the store is down
        var warning = Assert.Single(server.Logs.Lines, l => l.Event.Name == "SignOutStoreFailed");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("could not be read", warning.Message);

        store.Failing = false;
        server.Clock.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, "/api/me", copied)).StatusCode);
        browser.Dispose();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public async Task A_sign_out_check_interval_out_of_range_stops_the_app_at_start_up(int seconds)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => DemoServer.StartAsync(o => o.SignOutCheckInterval = TimeSpan.FromSeconds(seconds)));
        Assert.Contains("SignOutCheckInterval must be between 0", e.Message);
    }

    /// <summary>A distributed cache that can stop answering, as a Redis that went away does.</summary>
    private sealed class FailingCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));

        public volatile bool Failing;

        public byte[]? Get(string key) => Failing ? throw new TimeoutException("store down") : _inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Failing ? throw new TimeoutException("store down") : _inner.GetAsync(key, token);

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _inner.Set(key, value, options);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
            Failing ? throw new TimeoutException("store down") : _inner.SetAsync(key, value, options, token);
    }
}
