using System.Security.Claims;
using Cognito.AspNet;
using Cognito.Blazor.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cognito.Blazor.Tests;

/// <summary>
/// The circuit's provider believes a signed-in answer only with a seal for the nonce of its own question
/// (what comes back through JS interop is the browser user's to change), and fails closed.
/// </summary>
public sealed class CircuitProviderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly FakeBrowser _browser = new();
    private readonly EphemeralDataProtectionProvider _keyRing = new();
    private readonly FixedClock _clock = new(Now);
    private readonly CognitoCircuitAuthenticationStateProvider _provider;
    private int _notifications;

    public CircuitProviderTests()
    {
        _provider = new CognitoCircuitAuthenticationStateProvider(_browser, Options.Create(new CognitoBlazorOptions()), _keyRing, _clock);
        _provider.AuthenticationStateChanged += _ => _notifications++;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    internal static ClaimsIdentity Identity(string username, long exp, params string[] groups)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, username), new("cognito:username", username), new("sub", "sub-" + username), new("exp", exp.ToString()) };
        claims.AddRange(groups.SelectMany(g => new[] { new Claim(ClaimTypes.Role, g), new Claim("cognito:groups", g) }));
        return new ClaimsIdentity(claims, CognitoCookiesDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
    }

    /// <summary>What the session endpoint answers to <c>?circuit=NONCE</c>: the seal made for that nonce.</summary>
    private string Sealed(string query, ClaimsIdentity identity, IDataProtectionProvider? keyRing = null) =>
        $$"""{"signedIn":true,"username":"{{identity.Name}}","seal":"{{CognitoSessionSeal.Seal(keyRing ?? _keyRing, identity, query[(query.IndexOf('=') + 1)..])}}"}""";

    private async Task<ClaimsPrincipal> User() => (await _provider.GetAuthenticationStateAsync()).User;

    private void SignedInAtFirst(string username = "jane.doe") =>
        _provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(Identity(username, Now.ToUnixTimeSeconds() + 3600, "admin")))));

    [Fact]
    public async Task A_sealed_answer_for_its_own_nonce_is_taken_with_its_claims()
    {
        _browser.Answer = q => Sealed(q, Identity("sam.jones", Now.ToUnixTimeSeconds() + 600, "dev"));
        await _provider.StartAsync();

        var user = await User();
        Assert.Equal("sam.jones", user.Identity!.Name);
        Assert.True(user.IsInRole("dev"));
        Assert.Equal(1, _notifications);
        Assert.StartsWith("?circuit=", _browser.Queries.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_question_has_a_new_nonce()
    {
        _browser.Answer = q => Sealed(q, Identity("sam.jones", Now.ToUnixTimeSeconds() + 600));
        await _provider.StartAsync();
        await _provider.RevalidateAsync();
        await _provider.RevalidateAsync();
        Assert.Equal(3, _browser.Queries.Distinct().Count());
        Assert.Equal(3, _provider.Revalidations);
        Assert.Equal(1, _notifications); // the same claims three times: one change
    }

    [Fact]
    public async Task A_signed_in_answer_without_a_seal_is_a_forgery_and_makes_the_circuit_anonymous()
    {
        SignedInAtFirst();
        _browser.Answer = _ => """{"signedIn":true,"username":"admin","sub":"x","groups":["admin"],"claims":[{"type":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","value":"admin"}]}""";
        await _provider.StartAsync();
        Assert.False((await User()).Identity!.IsAuthenticated);
        Assert.Equal(1, _notifications);
    }

    [Fact]
    public async Task An_answer_kept_from_an_earlier_question_does_not_open()
    {
        string? kept = null;
        _browser.Answer = q => kept ??= Sealed(q, Identity("jane.doe", Now.ToUnixTimeSeconds() + 600, "admin"));
        await _provider.StartAsync();
        Assert.True((await User()).Identity!.IsAuthenticated);

        await _provider.RevalidateAsync(); // the browser replays the first answer
        Assert.False((await User()).Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task A_seal_from_another_key_ring_does_not_open()
    {
        SignedInAtFirst();
        _browser.Answer = q => Sealed(q, Identity("mallory", Now.ToUnixTimeSeconds() + 600, "admin"), new EphemeralDataProtectionProvider());
        await _provider.StartAsync();
        Assert.False((await User()).Identity!.IsAuthenticated);
    }

    [Theory]
    [InlineData("""{"signedIn":false}""")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"signedIn":"true","seal":"x"}""")]
    [InlineData("""{"signedIn":true,"seal":42}""")]
    public async Task A_signed_out_or_unreadable_answer_makes_the_circuit_anonymous(string answer)
    {
        SignedInAtFirst();
        _browser.Answer = _ => answer;
        await _provider.StartAsync();
        Assert.False((await User()).Identity!.IsAuthenticated);
        Assert.Equal(1, _notifications);
    }

    [Fact]
    public async Task Another_tab_signing_out_is_taken_at_once()
    {
        SignedInAtFirst();
        var signedIn = true;
        _browser.Answer = q => signedIn ? Sealed(q, Identity("jane.doe", Now.ToUnixTimeSeconds() + 3600, "admin")) : """{"signedIn":false}""";
        await _provider.StartAsync();
        Assert.True((await User()).Identity!.IsAuthenticated);

        signedIn = false;
        await _browser.SignalAsync();
        Assert.False((await User()).Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task When_the_browser_cannot_be_asked_the_user_stays_until_the_sessions_horizon_then_is_anonymous()
    {
        SignedInAtFirst();
        _browser.Answer = _ => null; // offline, a 5xx
        await _provider.StartAsync();
        Assert.True((await User()).Identity!.IsAuthenticated);
        Assert.Equal(0, _notifications);

        _clock.Now = Now.AddSeconds(3600);
        await _provider.RevalidateAsync();
        Assert.False((await User()).Identity!.IsAuthenticated);
        Assert.Equal(1, _notifications);
    }

    [Fact]
    public async Task A_gone_circuit_is_left_alone()
    {
        SignedInAtFirst();
        _browser.Disconnected = true;
        await _provider.StartAsync(); // no exception
        await _provider.RevalidateAsync();
        Assert.True((await User()).Identity!.IsAuthenticated);
        Assert.Equal(0, _provider.Revalidations);
    }

    [Fact]
    public void The_next_question_is_at_the_interval_or_at_the_sessions_horizon_if_sooner_and_never_within_a_second()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), _provider.NextDelay()); // anonymous: no horizon

        _provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(Identity("a", Now.ToUnixTimeSeconds() + 3600)))));
        Assert.Equal(TimeSpan.FromMinutes(1), _provider.NextDelay());

        _provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(Identity("a", Now.ToUnixTimeSeconds() + 20)))));
        Assert.Equal(TimeSpan.FromSeconds(20), _provider.NextDelay());

        _provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(Identity("a", Now.ToUnixTimeSeconds() - 5)))));
        Assert.Equal(TimeSpan.FromSeconds(1), _provider.NextDelay());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(86_401)]
    public void An_interval_out_of_range_is_refused_with_what_to_fix(double seconds)
    {
        var options = Options.Create(new CognitoBlazorOptions { RevalidationInterval = TimeSpan.FromSeconds(seconds) });
        var e = Assert.Throws<InvalidOperationException>(() => new CognitoCircuitAuthenticationStateProvider(_browser, options, _keyRing));
        Assert.Contains("RevalidationInterval", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, "RevalidationInterval must be at least 1 second")]
    [InlineData(86_401, "RevalidationInterval must be at most 1 day")]
    public void Options_out_of_range_are_refused_at_first_use_with_what_to_fix(double seconds, string message)
    {
        using var services = new ServiceCollection().AddCognitoBlazorOptions(o => o.RevalidationInterval = TimeSpan.FromSeconds(seconds)).Services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CognitoBlazorOptions>>().Value);
        Assert.Equal("CognitoBlazorOptions: " + message, e.Message.Split(" (is ")[0]);

        foreach (var bound in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromDays(1) })
        {
            using var fine = new ServiceCollection().AddCognitoBlazorOptions(o => o.RevalidationInterval = bound).Services.BuildServiceProvider();
            Assert.Equal(bound, fine.GetRequiredService<IOptions<CognitoBlazorOptions>>().Value.RevalidationInterval);
        }
    }

    [Theory]
    [InlineData("//evil.example/auth/session")]
    [InlineData("https://evil.example/auth/session")]
    [InlineData(" ")]
    public void A_session_path_off_the_site_is_refused(string path)
    {
        var options = Options.Create(new CognitoBlazorOptions { SessionPath = path });
        var e = Assert.Throws<InvalidOperationException>(() => new CognitoCircuitAuthenticationStateProvider(_browser, options, _keyRing));
        Assert.Contains("SessionPath", e.Message, StringComparison.Ordinal);
    }
}
