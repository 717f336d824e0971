using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>Keys that follow rotation: one shared fetch, a penalty box, and never a dropped key.</summary>
public sealed class LiveKeySetTests : IAsyncLifetime
{
    private static readonly TestPool Pool = TestPool.Default;
    private static readonly HttpClient Http = new();
    private readonly FixedClock _clock = new(TestPool.Now);
    private JwksServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await JwksServer.StartAsync();
        _server.Keys[Pool.Kid] = Pool.Key;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LiveKeySet Live(KeySet? initial = null, TimeSpan? interval = null) =>
        new(initial ?? Pool.KeySet(), [new(Pool.Pool, _server.JwksUri(Pool.UserPoolId))], Http, new LiveKeySetOptions { MinimumInterval = interval ?? TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(10) }, _clock);

    private CognitoAuth Auth(LiveKeySet live) =>
        new(new CognitoOptions { UserPools = [Pool.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = _clock });

    private static string RotatedSession()
    {
        var header = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
        return AmplifyCookies.Header(Pool.ClientId, "jane.doe", Jws.Sign(header, Pool.IdClaims().ToJsonString(), TestPool.SecondKey), Jws.Sign(header, Pool.AccessClaims().ToJsonString(), TestPool.SecondKey));
    }

    [Fact]
    public async Task A_new_kid_at_the_server_is_fetched_once_and_its_first_token_verifies()
    {
        var live = Live();
        var auth = Auth(live);
        _server.Keys["key-2"] = TestPool.SecondKey;
        Verdict.Accepted(await auth.FromCookieHeaderAsync(RotatedSession()));
        Assert.Equal(1, _server.Requests);
        Verdict.Accepted(await auth.FromCookieHeaderAsync(RotatedSession()));
        Verdict.Accepted(auth.FromCookieHeader(RotatedSession()));
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task Known_kids_never_fetch()
    {
        var auth = Auth(Live());
        for (var i = 0; i < 10; i++)
        {
            Verdict.Accepted(await auth.FromCookieHeaderAsync(Pool.CookieHeader()));
        }

        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_thousand_tokens_with_random_unknown_kids_cause_at_most_one_fetch_per_penalty_box()
    {
        var live = Live();
        var auth = Auth(live);
        var signature = Pool.IdToken().Split('.')[2];
        var payload = Jws.Base64Url(Pool.IdClaims().ToJsonString());
        for (var i = 0; i < 1000; i++)
        {
            var header = Jws.Base64Url(new JsonObject { ["kid"] = Guid.NewGuid().ToString(), ["alg"] = "RS256" }.ToJsonString());
            Verdict.Refused(await auth.FromCookieHeaderAsync(AmplifyCookies.Header(Pool.ClientId, "jane.doe", $"{header}.{payload}.{signature}", Pool.AccessToken())), "unknown-key");
            if (i == 500)
            {
                _clock.Now += TimeSpan.FromSeconds(10); // one penalty box later
            }
        }

        Assert.Equal(2, _server.Requests); // the fetches, counted where they land
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        var live = Live();
        var auth = Auth(live);
        _server.Keys["key-2"] = TestPool.SecondKey;
        var release = new TaskCompletionSource();
        _server.Override = async context =>
        {
            await release.Task;
            _server.Override = null;
            context.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, JwksServer.Document(_server.Keys));
        };
        var header = RotatedSession();
        var callers = Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await auth.FromCookieHeaderAsync(header))).ToArray();
        await Task.Delay(300);
        release.SetResult();
        foreach (var result in await Task.WhenAll(callers))
        {
            Verdict.Accepted(result);
        }

        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task The_synchronous_path_never_waits_but_asks_for_the_keys()
    {
        var live = Live();
        var auth = Auth(live);
        _server.Keys["key-2"] = TestPool.SecondKey;
        Verdict.Refused(auth.FromCookieHeader(RotatedSession()), "unknown-key");
        for (var i = 0; i < 100 && live.Current.KeysOf(Pool.Pool).Count < 2; i++)
        {
            await Task.Delay(20);
        }

        Verdict.Accepted(auth.FromCookieHeader(RotatedSession()));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    [InlineData(0)]
    public async Task A_failing_JWKS_endpoint_never_drops_loaded_keys(int status)
    {
        var live = Live(interval: TimeSpan.Zero);
        var auth = Auth(live);
        _server.Override = async context =>
        {
            if (status == 0)
            {
                await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "{\"keys\":\"garbage\"}");
            }
            else
            {
                context.Response.StatusCode = status;
            }
        };
        Verdict.Refused(await auth.FromCookieHeaderAsync(RotatedSession()), "unknown-key");
        Assert.NotNull(live.LastError(Pool.Pool));
        Verdict.Accepted(await auth.FromCookieHeaderAsync(Pool.CookieHeader()));
        Assert.Single(live.Current.KeysOf(Pool.Pool));
    }

    [Fact]
    public async Task A_JWKS_server_that_is_down_leaves_known_kids_verifying()
    {
        var live = Live(interval: TimeSpan.Zero);
        var auth = Auth(live);
        await _server.DisposeAsync();
        Verdict.Refused(await auth.FromCookieHeaderAsync(RotatedSession()), "unknown-key");
        Assert.Contains("cannot reach", live.LastError(Pool.Pool)!.Message);
        Verdict.Accepted(await auth.FromCookieHeaderAsync(Pool.CookieHeader()));
        _server = await JwksServer.StartAsync(); // for DisposeAsync
    }

    [Fact]
    public async Task A_pool_without_initial_keys_starts_and_fetches_on_first_use()
    {
        var live = Live(initial: KeySet.Empty);
        var auth = Auth(live);
        Verdict.Accepted(await auth.FromCookieHeaderAsync(Pool.CookieHeader()));
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task A_refresh_says_whether_it_added_keys_and_publishes_them()
    {
        var live = Live(interval: TimeSpan.Zero);
        var published = new List<KeySet>();
        live.Changed += published.Add;

        Assert.False(await live.RefreshAsync(Pool.Pool)); // the server has only the known kid
        _server.Override = context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        Assert.False(await live.RefreshAsync(Pool.Pool));
        Assert.Empty(published);

        _server.Override = null;
        _server.Keys["key-2"] = TestPool.SecondKey;
        Assert.True(await live.RefreshAsync(Pool.Pool));
        Assert.Equal(["key-1", "key-2"], live.Current.KeysOf(Pool.Pool).Select(k => k.Kid));
        Assert.Same(live.Current, Assert.Single(published));
        Assert.Null(live.LastError(Pool.Pool));
        Assert.Equal(3, _server.Requests); // three fetches, the failed one included
    }

    [Fact]
    public void Replace_publishes_the_new_keys_as_current()
    {
        var live = Live();
        var replacement = Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new("key-2", TestPool.SecondKey)])));
        KeySet? published = null;
        live.Changed += keys => published = keys;
        live.Replace(replacement);
        Assert.Same(replacement, live.Current);
        Assert.Same(replacement, published);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_caller_blocking_in_a_single_threaded_context_does_not_deadlock(bool cookies)
    {
        // Like a UI thread or classic ASP.NET blocking on the task: the context never runs what is
        // posted to it, so any await inside the library that resumed on the caller's context hangs.
        var live = Live();
        var auth = Auth(live);
        _server.Keys["key-2"] = TestPool.SecondKey;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new NeverRunsContext());
        try
        {
            var session = RotatedSession();
            var header = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
            var task = cookies
                ? auth.FromCookieHeaderAsync(session).AsTask()
                : auth.FromTokensAsync(Jws.Sign(header, Pool.IdClaims().ToJsonString(), TestPool.SecondKey), Jws.Sign(header, Pool.AccessClaims().ToJsonString(), TestPool.SecondKey)).AsTask();
#pragma warning disable xUnit1031 // blocking on the task is the caller this test is about
            Assert.True(task.Wait(TimeSpan.FromSeconds(20)), "the library resumed on the caller's synchronization context");
            Verdict.Accepted(task.Result);
#pragma warning restore xUnit1031
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private sealed class NeverRunsContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }
    }

    [Fact]
    public void Replacing_the_keys_takes_effect_at_once()
    {
        var live = Live();
        var auth = Auth(live);
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
        live.Replace(Verdict.Accepted(Jwks.Parse(Pool.Pool, JwksServer.Document([new("key-2", TestPool.SecondKey)]))));
        Verdict.Refused(auth.FromCookieHeader(Pool.CookieHeader()), "unknown-key");
    }

    [Fact]
    public async Task Tokens_given_directly_wait_for_the_fetch_of_a_new_kid_too()
    {
        var live = Live();
        var auth = Auth(live);
        _server.Keys["key-2"] = TestPool.SecondKey;
        var header = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
        var id = Jws.Sign(header, Pool.IdClaims().ToJsonString(), TestPool.SecondKey);
        var access = Jws.Sign(header, Pool.AccessClaims().ToJsonString(), TestPool.SecondKey);
        Verdict.Accepted(await auth.FromTokensAsync(id, access));
        Assert.Equal(1, _server.Requests);
        Verdict.Accepted(await auth.FromTokensAsync(Pool.IdToken(), Pool.AccessToken()));
        Verdict.Refused(await auth.FromTokensAsync(id, null), "no-session");
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task Without_live_keys_an_unknown_kid_is_refused_at_once()
    {
        var header = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
        var id = Jws.Sign(header, Pool.IdClaims().ToJsonString(), TestPool.SecondKey);
        Verdict.Refused(await Pool.Auth().FromTokensAsync(id, Pool.AccessToken()), "unknown-key");
        Verdict.Refused(await Pool.Auth().FromCookieHeaderAsync(RotatedSession()), "unknown-key");
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_pool_without_a_JWKS_address_is_never_fetched()
    {
        var live = Live();
        Assert.False(await live.RefreshAsync(TestPool.Other.Pool));
        Assert.False(live.HasSource(TestPool.Other.Pool));
        Assert.True(live.HasSource(Pool.Pool));
        Assert.Null(live.LastError(TestPool.Other.Pool));
        Assert.Equal(0, _server.Requests); // nothing fetched, for either pool
    }

    [Fact]
    public void The_penalty_box_cannot_be_negative_and_defaults_to_ten_seconds()
    {
        Assert.StartsWith("MinimumInterval must not be negative.", Assert.Throws<ArgumentOutOfRangeException>("options", () => Live(interval: TimeSpan.FromTicks(-1))).Message, StringComparison.Ordinal);
        Assert.NotNull(Live(interval: TimeSpan.Zero));
        var defaults = new LiveKeySetOptions();
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.MinimumInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.Timeout);
    }

    [Fact]
    public async Task Concurrent_fetches_over_several_pools_never_leave_the_verifier_on_an_older_key_set()
    {
        // Issue 13, item 2: fetches finishing together published their key sets out of order, and the
        // verifier installed whichever came last. A subscriber ahead of the verifier that takes a random
        // moment shuffles the order in which notifications reach it, as a busy machine would.
        var pools = Enumerable.Range(0, 6).Select(i => new TestPool(Pool.Region, $"{Pool.Region}_RacePool{i}", Pool.ClientId, "none", Pool.Key)).ToArray();
        var live = new LiveKeySet(KeySet.Empty, pools.Select(p => KeyValuePair.Create(p.Pool, _server.JwksUri(p.UserPoolId))), Http, new LiveKeySetOptions { MinimumInterval = TimeSpan.Zero }, _clock);
        live.Changed += _ => Thread.Sleep(Random.Shared.Next(0, 4));
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [.. pools.Select(p => p.Pool)], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = _clock, SessionCacheSize = 0 });
        lock (_server.Keys)
        {
            _server.Keys.Clear();
        }

        for (var round = 0; round < 40; round++)
        {
            lock (_server.Keys)
            {
                _server.Keys[$"round-{round}"] = TestPool.SecondKey;
            }

            await Task.WhenAll(pools.Select(p => Task.Run(() => live.RefreshAsync(p.Pool))));
            foreach (var pool in pools)
            {
                var session = new TestPool(pool.Region, pool.UserPoolId, pool.ClientId, $"round-{round}", TestPool.SecondKey).CookieHeader();
                Verdict.Accepted(auth.FromCookieHeader(session)); // the synchronous path: no fetch, only what is installed
            }
        }
    }

    [Fact]
    public void Replacing_the_keys_with_none_for_a_pool_refuses_its_tokens_and_throws_nothing()
    {
        var live = new LiveKeySet(Pool.KeySet().Merge(TestPool.Other.KeySet()), [new(Pool.Pool, _server.JwksUri(Pool.UserPoolId))], Http, clock: _clock);
        var auth = new CognitoAuth(new CognitoOptions { UserPools = [Pool.Pool, TestPool.Other.Pool], ClientId = Pool.ClientId, LiveKeys = live, TimeProvider = _clock });
        live.Replace(Pool.KeySet()); // the other pool (no JWKS address) loses its keys
        Verdict.Refused(auth.FromCookieHeader(TestPool.Other.CookieHeader()), "unknown-key");
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));
    }

    [Fact]
    public async Task A_failed_fetch_is_reported_with_its_pool_and_reason()
    {
        var live = Live(interval: TimeSpan.Zero);
        var failures = new List<(UserPool Pool, KeyLoadError Error)>();
        live.FetchFailed += (pool, error) => failures.Add((pool, error));
        _server.Override = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        Assert.False(await live.RefreshAsync(Pool.Pool));
        var (failedPool, error) = Assert.Single(failures);
        Assert.Equal(Pool.Pool, failedPool);
        Assert.Same(live.LastError(Pool.Pool), error);
        Assert.Contains("answered 503", error.Message, StringComparison.Ordinal);
        _server.Override = null;
        Assert.False(await live.RefreshAsync(Pool.Pool));
        Assert.Single(failures);
        Assert.Null(live.LastError(Pool.Pool));
    }

    [Fact]
    public async Task A_bearer_token_with_a_new_kid_waits_for_the_fetch_like_a_session()
    {
        var live = Live();
        var auth = Auth(live);
        var header = new JsonObject { ["kid"] = "key-2", ["alg"] = "RS256" }.ToJsonString();
        var token = Jws.Sign(header, Pool.AccessClaims().ToJsonString(), TestPool.SecondKey);
        Verdict.Refused(await auth.VerifyAccessTokenAsync(token), "unknown-key"); // not at the server yet: one fetch, nothing new
        Assert.Equal(1, _server.Requests);
        _server.Keys["key-2"] = TestPool.SecondKey;
        _clock.Now += TimeSpan.FromSeconds(11); // past the penalty box
        Verdict.Accepted(await auth.VerifyAccessTokenAsync(token));
        Assert.Equal(2, _server.Requests);
        Verdict.Accepted(await auth.VerifyAccessTokenAsync(Pool.AccessToken())); // a known kid never fetches
        Assert.Equal(2, _server.Requests);
        Verdict.Refused(await Pool.Auth().VerifyAccessTokenAsync(token), "unknown-key"); // no live keys: refused at once
    }
}
