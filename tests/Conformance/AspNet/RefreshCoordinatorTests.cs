using Cognito.AspNet;

namespace Cognito.Conformance.AspNet;

/// <summary>The refresh single-flight: one failure never poisons another refresh, and never escapes as an exception.</summary>
public sealed class RefreshCoordinatorTests
{
    private static readonly TokenResponse Refreshed = new("id", "access", "refresh", null);

    [Fact]
    public async Task A_refresh_that_throws_is_a_failed_outcome_and_every_other_refresh_goes_on()
    {
        var clock = new FixedClock(TestPool.Now);
        var coordinator = new RefreshCoordinator(clock);

        // Issue 13, item 3: a faulted refresh task made every later Sweep throw, for every user.
        var faulted = await coordinator.RefreshAsync("token-a", () => Task.FromException<TokenResponse>(new HttpIOException(HttpRequestError.ResponseEnded)));
        Assert.False(faulted.Succeeded);
        Assert.Equal("refresh_error", faulted.Error);
        var thrown = await coordinator.RefreshAsync("token-b", () => throw new InvalidOperationException("thrown before any await"));
        Assert.Equal("refresh_error", thrown.Error);

        Assert.Same(Refreshed, await coordinator.RefreshAsync("token-c", () => Task.FromResult(Refreshed)));

        // A failure is answered from memory for a while (one call to Cognito, not one per request), then retried.
        Assert.Equal("refresh_error", (await coordinator.RefreshAsync("token-a", () => Task.FromResult(Refreshed))).Error);
        clock.Now += RefreshCoordinator.FailureRetention;
        Assert.Same(Refreshed, await coordinator.RefreshAsync("token-a", () => Task.FromResult(Refreshed)));
    }

    [Fact]
    public async Task Outcomes_are_kept_as_long_as_they_may_be_reused()
    {
        var clock = new FixedClock(TestPool.Now);
        var coordinator = new RefreshCoordinator(clock);
        var calls = 0;
        Task<TokenResponse> Count(TokenResponse response)
        {
            calls++;
            return Task.FromResult(response);
        }

        var notRotated = new TokenResponse("id", "access", null, null);
        var rotated = new TokenResponse("id", "access", "new-refresh-token", null);
        var revoked = TokenResponse.Failed("invalid_grant");
        var down = TokenResponse.Failed("unreachable");
        var grace = TimeSpan.FromSeconds(30);
        foreach (var (token, response) in new[] { ("a", notRotated), ("b", rotated), ("c", revoked), ("d", down) })
        {
            Assert.Same(response, await coordinator.RefreshAsync(token, () => Count(response), grace));
        }

        async Task<int> CallsAfter(TimeSpan elapsed)
        {
            clock.Now = TestPool.Now + elapsed;
            calls = 0;
            foreach (var token in new[] { "a", "b", "c", "d" })
            {
                await coordinator.RefreshAsync(token, () => Count(TokenResponse.Failed("again")), grace);
            }

            var made = calls;
            clock.Now = TestPool.Now; // put back what this probe added, so the next probe sees the first outcomes
            return made;
        }

        Assert.Equal(0, await CallsAfter(RefreshCoordinator.FailureRetention - TimeSpan.FromTicks(1)));
        Assert.Equal(1, await CallsAfter(RefreshCoordinator.FailureRetention)); // "d": a transient failure is retried
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_handed_out_only_within_the_grace_period()
    {
        var clock = new FixedClock(TestPool.Now);
        var coordinator = new RefreshCoordinator(clock);
        var rotated = new TokenResponse("id", "access", "new-refresh-token", null);
        Assert.Same(rotated, await coordinator.RefreshAsync("old", () => Task.FromResult(rotated), TimeSpan.FromSeconds(5)));
        clock.Now += TimeSpan.FromSeconds(4);
        Assert.Same(rotated, await coordinator.RefreshAsync("old", () => Task.FromResult(TokenResponse.Failed("invalid_grant")), TimeSpan.FromSeconds(5)));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal("invalid_grant", (await coordinator.RefreshAsync("old", () => Task.FromResult(TokenResponse.Failed("invalid_grant")), TimeSpan.FromSeconds(5))).Error);

        // Without rotation a success is kept a minute; invalid_grant too.
        Assert.Equal("invalid_grant", (await coordinator.RefreshAsync("old", () => Task.FromResult(rotated), TimeSpan.FromSeconds(5))).Error);
        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Same(rotated, await coordinator.RefreshAsync("old", () => Task.FromResult(rotated), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_refresh_token_share_one_call_and_its_outcome()
    {
        var coordinator = new RefreshCoordinator(new FixedClock(TestPool.Now));
        var calls = 0;
        var release = new TaskCompletionSource<TokenResponse>();
        var outcomes = Enumerable.Range(0, 8).Select(_ => coordinator.RefreshAsync("token", () =>
        {
            Interlocked.Increment(ref calls);
            return release.Task;
        })).ToArray();
        release.SetResult(Refreshed);
        Assert.All(await Task.WhenAll(outcomes), outcome => Assert.Same(Refreshed, outcome));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_forgotten_refresh_token_gets_nothing_from_memory()
    {
        // Issue 24, finding 5: a success kept for the requests that still carry the old cookies must not
        // hand fresh tokens to a session that signed out meanwhile.
        var coordinator = new RefreshCoordinator(new FixedClock(TestPool.Now));
        var calls = 0;
        Task<TokenResponse> Call()
        {
            calls++;
            return Task.FromResult(new TokenResponse("id", "access", null, null));
        }

        await coordinator.RefreshAsync("token", Call);
        await coordinator.RefreshAsync("token", Call);
        Assert.Equal(1, calls);

        coordinator.Forget("token");
        await coordinator.RefreshAsync("token", Call);
        Assert.Equal(2, calls);
        coordinator.Forget("never-seen"); // nothing to forget: no exception
    }

    [Fact]
    public async Task A_discarded_outcome_is_asked_again_but_a_newer_one_is_kept()
    {
        var coordinator = new RefreshCoordinator(new FixedClock(TestPool.Now));
        var stale = await coordinator.RefreshAsync("token", () => Task.FromResult(new TokenResponse("id", "access", null, null)));
        Assert.True(coordinator.Discard("token", stale));
        var fresh = new TokenResponse("id 2", "access 2", null, null);
        Assert.Same(fresh, await coordinator.RefreshAsync("token", () => Task.FromResult(fresh)));

        // A second request that saw the stale outcome too discards nothing: it shares the newer one.
        Assert.False(coordinator.Discard("token", stale));
        Assert.Same(fresh, await coordinator.RefreshAsync("token", () => Task.FromResult(TokenResponse.Failed("not called"))));
        Assert.False(coordinator.Discard("never-seen", stale));

        // Still in flight: nothing to discard.
        var release = new TaskCompletionSource<TokenResponse>();
        var pending = coordinator.RefreshAsync("other", () => release.Task);
        Assert.False(coordinator.Discard("other", stale));
        release.SetResult(Refreshed);
        Assert.Same(Refreshed, await pending);
    }
}
