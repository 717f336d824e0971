using System.Security.Claims;
using Cognito.Blazor.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Cognito.Blazor.Tests;

/// <summary>
/// The provider's life around the questions: it asks again every interval (real timers, a 1-s interval), asks
/// at once on a second start, keeps the user through a failed fetch, tells nothing once the circuit is gone, and
/// lets go of the browser's objects exactly once when disposed.
/// </summary>
public sealed class SessionLoopTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly FakeBrowser _browser = new() { Answer = _ => """{"signedIn":false}""" };

    private CognitoCircuitAuthenticationStateProvider Provider(TimeSpan interval) =>
        new(_browser, Options.Create(new CognitoBlazorOptions { RevalidationInterval = interval }), new EphemeralDataProtectionProvider(), new FixedClock(Now));

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromSeconds(30), what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task It_asks_every_interval_until_disposed_then_lets_go_of_the_browsers_objects_once()
    {
        var provider = Provider(TimeSpan.FromSeconds(1));
        await provider.StartAsync();
        Assert.Equal(1, provider.Revalidations);
        await Eventually(() => provider.Revalidations >= 3, "asked again every second");

        await provider.DisposeAsync();
        var asked = _browser.Queries.Count;
        Assert.Equal(1, _browser.Invoked.Count(i => i == "dispose")); // the watch: the page's listeners removed
        Assert.Equal(2, _browser.Disposals); // the watch and the module
        await provider.DisposeAsync(); // twice: nothing more, no exception
        Assert.Equal(1, _browser.Invoked.Count(i => i == "dispose"));
        Assert.Equal(2, _browser.Disposals);

        await provider.RevalidateAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(asked, _browser.Queries.Count);
    }

    [Fact]
    public async Task After_disposal_the_page_can_no_longer_call_in()
    {
        var provider = Provider(TimeSpan.FromMinutes(1));
        await provider.StartAsync();
        await _browser.SignalAsync(); // the page's callback works while the provider lives
        Assert.Equal(2, provider.Revalidations);
        await provider.DisposeAsync();
        var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => _browser.Signals!.GetType().GetProperty("Value")!.GetValue(_browser.Signals));
        Assert.IsType<ObjectDisposedException>(e.InnerException);
    }

    [Theory]
    [InlineData("dispose")]
    [InlineData("watch")]
    public async Task A_page_already_gone_when_disposing_or_watching_is_no_error(string identifier)
    {
        _browser.Faults[identifier] = new JSDisconnectedException("gone");
        var provider = Provider(TimeSpan.FromMinutes(1));
        await provider.StartAsync();
        Assert.Equal(identifier == "watch" ? 0 : 1, provider.Revalidations); // no watch: not started, nothing asked
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task A_second_start_asks_again_without_importing_again()
    {
        await using var provider = Provider(TimeSpan.FromMinutes(1));
        await provider.StartAsync();
        await provider.StartAsync();
        Assert.Equal(2, provider.Revalidations);
        Assert.Equal(1, _browser.Invoked.Count(i => i == "import"));
        Assert.Equal(1, _browser.Invoked.Count(i => i == "watch"));
    }

    [Fact]
    public async Task Without_a_browser_it_asks_nothing_and_keeps_what_the_request_saw()
    {
        _browser.Disconnected = true;
        await using var provider = Provider(TimeSpan.FromSeconds(1));
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(CircuitProviderTests.Identity("jane.doe", Now.ToUnixTimeSeconds() + 600)))));
        await provider.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, provider.Revalidations);
        Assert.Equal("jane.doe", (await provider.GetAuthenticationStateAsync()).User.Identity!.Name);
        Assert.Empty(_browser.Invoked);
    }

    [Fact]
    public async Task A_failed_fetch_counts_as_no_answer_and_keeps_the_user_until_the_session_expires()
    {
        await using var provider = Provider(TimeSpan.FromMinutes(1));
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(CircuitProviderTests.Identity("jane.doe", Now.ToUnixTimeSeconds() + 600)))));
        _browser.Faults["session"] = new JSException("TypeError: Failed to fetch");
        await provider.StartAsync();
        Assert.Equal(1, provider.Revalidations);
        Assert.Equal("jane.doe", (await provider.GetAuthenticationStateAsync()).User.Identity!.Name);

        _browser.Faults["session"] = new TaskCanceledException();
        await provider.RevalidateAsync();
        Assert.Equal(2, provider.Revalidations);
        Assert.Equal("jane.doe", (await provider.GetAuthenticationStateAsync()).User.Identity!.Name);
    }

    [Fact]
    public async Task A_circuit_gone_during_the_question_changes_and_counts_nothing()
    {
        await using var provider = Provider(TimeSpan.FromMinutes(1));
        var changes = 0;
        provider.AuthenticationStateChanged += _ => changes++;
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(CircuitProviderTests.Identity("jane.doe", Now.ToUnixTimeSeconds() - 1)))));
        _browser.Faults["session"] = new JSDisconnectedException("gone");
        await provider.StartAsync();
        Assert.Equal(0, provider.Revalidations);
        Assert.Equal(0, changes);
        Assert.Equal("jane.doe", (await provider.GetAuthenticationStateAsync()).User.Identity!.Name);
    }

    [Fact]
    public async Task A_state_that_failed_or_is_still_pending_is_anonymous_for_the_interval()
    {
        await using var provider = Provider(TimeSpan.FromSeconds(42));
        provider.SetAuthenticationState(Task.FromException<AuthenticationState>(new InvalidOperationException("no state")));
        Assert.Equal(TimeSpan.FromSeconds(42), provider.NextDelay());
        provider.SetAuthenticationState(new TaskCompletionSource<AuthenticationState>().Task);
        Assert.Equal(TimeSpan.FromSeconds(42), provider.NextDelay());
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var options = Options.Create(new CognitoBlazorOptions());
        Assert.Throws<ArgumentNullException>(() => new CognitoCircuitAuthenticationStateProvider(null!, options, new EphemeralDataProtectionProvider()));
        Assert.Throws<ArgumentNullException>(() => new CognitoCircuitAuthenticationStateProvider(_browser, Options.Create<CognitoBlazorOptions>(null!), new EphemeralDataProtectionProvider()));
        Assert.Throws<ArgumentNullException>(() => Provider(TimeSpan.FromMinutes(1)).SetAuthenticationState(null!));
        Assert.Throws<ArgumentNullException>(() => new CognitoApiHandler(null!));
    }
}
