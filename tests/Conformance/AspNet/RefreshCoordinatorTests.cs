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
        Assert.Same(Refreshed, await coordinator.RefreshAsync("token-a", () => Task.FromResult(Refreshed))); // the failure was not kept
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
}
