using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Cognito.AspNet;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// <c>/auth/session</c> for live UIs (docs/spec.md, "Session endpoint"): the claims on request, and a seal a
/// server-side listener (a Blazor circuit) can trust — only for its own nonce, only from this app's key ring.
/// </summary>
public sealed class SessionEndpointTests : IAsyncLifetime
{
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IDataProtectionProvider DataProtection => _server.Services.GetRequiredService<IDataProtectionProvider>();

    [Fact]
    public async Task The_claims_are_the_principals_with_the_sessions_horizon_and_never_a_token()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe", "admin,dev");
        var raw = await browser.Http.GetStringAsync("/auth/session?claims");
        var answer = JsonDocument.Parse(raw).RootElement;
        var claims = answer.GetProperty("claims").EnumerateArray().Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString())).ToList();
        Assert.Equal("CognitoCookies", answer.GetProperty("authenticationType").GetString());
        Assert.Contains((ClaimTypes.Name, "jane.doe"), claims);
        Assert.Contains((ClaimTypes.Role, "admin"), claims);
        Assert.Contains((ClaimTypes.Role, "dev"), claims);
        Assert.Contains(("exp", answer.GetProperty("expiresAt").GetInt64().ToString()), claims);
        Assert.DoesNotContain("eyJ", raw, StringComparison.Ordinal); // no JWT in any field
        Assert.False(answer.TryGetProperty("seal", out _));
    }

    [Fact]
    public async Task A_seal_opens_for_its_nonce_only_and_holds_the_same_claims()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe", "admin");
        var nonce = CognitoSessionSeal.NewNonce();
        var answer = await browser.Http.GetFromJsonAsync<JsonElement>("/auth/session?circuit=" + nonce);
        var seal = answer.GetProperty("seal").GetString();
        Assert.False(answer.TryGetProperty("claims", out _));

        var principal = CognitoSessionSeal.Open(DataProtection, seal, nonce);
        Assert.NotNull(principal);
        Assert.Equal("jane.doe", principal.Identity!.Name);
        Assert.Equal("CognitoCookies", principal.Identity.AuthenticationType);
        Assert.True(principal.IsInRole("admin"));
        Assert.Equal(answer.GetProperty("expiresAt").GetInt64().ToString(), principal.FindFirst("exp")!.Value);

        // An answer kept from an earlier question (another nonce), a changed seal, another key ring: nothing.
        Assert.Null(CognitoSessionSeal.Open(DataProtection, seal, CognitoSessionSeal.NewNonce()));
        Assert.Null(CognitoSessionSeal.Open(DataProtection, seal![..^2] + (seal[^2] == 'A' ? "BA" : "AA"), nonce));
        Assert.Null(CognitoSessionSeal.Open(new EphemeralDataProtectionProvider(), seal, nonce));
        Assert.Null(CognitoSessionSeal.Open(DataProtection, null, nonce));
        Assert.Null(CognitoSessionSeal.Open(DataProtection, "not a seal", nonce));
        Assert.Null(CognitoSessionSeal.Open(DataProtection, seal, "short"));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("this-nonce-has-a-bad-character!!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65
    public async Task A_malformed_nonce_gets_no_seal(string nonce)
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe");
        var answer = await browser.Http.GetFromJsonAsync<JsonElement>("/auth/session?circuit=" + Uri.EscapeDataString(nonce));
        Assert.True(answer.GetProperty("signedIn").GetBoolean());
        Assert.False(answer.TryGetProperty("seal", out _));
    }

    [Fact]
    public async Task Two_nonces_get_no_seal()
    {
        using var browser = _server.NewClient();
        await browser.SignInAsync("jane.doe");
        var answer = await browser.Http.GetFromJsonAsync<JsonElement>($"/auth/session?circuit={CognitoSessionSeal.NewNonce()}&circuit={CognitoSessionSeal.NewNonce()}");
        Assert.False(answer.TryGetProperty("seal", out _));
    }

    [Fact]
    public async Task Anonymous_gets_neither_claims_nor_a_seal()
    {
        using var browser = _server.NewClient();
        var raw = await browser.Http.GetStringAsync("/auth/session?claims&circuit=" + CognitoSessionSeal.NewNonce());
        Assert.Equal("""{"signedIn":false}""", raw);
    }

    [Fact]
    public void Nonces_are_fresh_and_of_the_accepted_form()
    {
        var nonces = Enumerable.Range(0, 100).Select(_ => CognitoSessionSeal.NewNonce()).ToList();
        Assert.Equal(100, nonces.Distinct().Count());
        Assert.All(nonces, n => Assert.True(CognitoSessionSeal.IsNonce(n) && n.Length == 22));
        Assert.False(CognitoSessionSeal.IsNonce(null));
        Assert.False(CognitoSessionSeal.IsNonce(new string('a', 15)));
        Assert.True(CognitoSessionSeal.IsNonce(new string('a', 16)));
        Assert.True(CognitoSessionSeal.IsNonce(new string('a', 64)));
        Assert.False(CognitoSessionSeal.IsNonce("aaaaaaaaaaaaaaa+"));
        Assert.True(CognitoSessionSeal.IsNonce("aaaaaaaaaaaaaa-_"));
    }
}
