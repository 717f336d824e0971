using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Cognito.AspNet;
using Cognito.Blazor.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cognito.Blazor.Tests;

/// <summary>The components and the cascading user with bUnit: signed in, anonymous, in a group, and following a change.</summary>
public sealed class ComponentTests : BunitContext
{
    private static readonly Claim[] JaneClaims =
    [
        new("sub", "5f0c1d2e"), new("cognito:username", "jane.doe"), new("cognito:groups", "admin"), new("cognito:groups", "dev"),
        new(ClaimTypes.Role, "admin"), new(ClaimTypes.Role, "dev"), new("scope", "openid"), new("scope", "orders/read"),
        new("email", "jane@example.com"), new("email_verified", "true"), new("custom:tenant", "acme"), new("exp", "1800000600"),
    ];

    [Fact]
    public void The_cascading_user_of_a_signed_in_session_has_every_part()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("jane.doe");
        auth.SetClaims(JaneClaims);
        Services.AddCognitoUser();

        var cut = Render<UserProbe>();
        Assert.Equal("jane.doe [admin,dev] scopes [openid,orders/read] jane@example.com True tenant=acme exp=1800000600", cut.Find("#user").TextContent);
    }

    [Fact]
    public void The_cascading_user_is_anonymous_without_a_session()
    {
        var auth = AddAuthorization();
        auth.SetNotAuthorized();
        Services.AddCognitoUser();
        Assert.Equal("anonymous", Render<UserProbe>().Find("#user").TextContent);
    }

    [Fact]
    public void The_cascading_user_follows_a_sign_in_and_a_sign_out()
    {
        var auth = AddAuthorization();
        auth.SetNotAuthorized();
        Services.AddCognitoUser();
        var cut = Render<UserProbe>();

        auth.SetAuthorized("jane.doe");
        auth.SetClaims(JaneClaims);
        cut.WaitForAssertion(() => Assert.StartsWith("jane.doe [admin,dev]", cut.Find("#user").TextContent, StringComparison.Ordinal));

        auth.SetNotAuthorized();
        cut.WaitForAssertion(() => Assert.Equal("anonymous", cut.Find("#user").TextContent));
    }

    [Fact]
    public async Task AuthorizeView_Roles_works_from_the_groups_of_a_circuits_session()
    {
        var browser = new FakeBrowser();
        var keyRing = new EphemeralDataProtectionProvider();
        var groups = new[] { "admin" };
        browser.Answer = q => $$"""{"signedIn":true,"seal":"{{CognitoSessionSeal.Seal(keyRing, CircuitProviderTests.Identity("jane.doe", 1_800_000_600, groups), q[(q.IndexOf('=') + 1)..])}}"}""";
        var provider = new CognitoCircuitAuthenticationStateProvider(browser, Options.Create(new CognitoBlazorOptions()), keyRing);
        // The platform's authorization (bUnit's stand-in is replaced): roles come from the principal's claims.
        Services.AddAuthorizationCore();
        Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationService, Microsoft.AspNetCore.Authorization.DefaultAuthorizationService>();
        Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider, Microsoft.AspNetCore.Authorization.DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton<AuthenticationStateProvider>(provider);
        Services.AddCognitoUser();

        var cut = Render<UserProbe>();
        Assert.Equal("anonymous", cut.Find("#user").TextContent);
        Assert.NotEmpty(cut.FindAll("#not-admin"));

        await cut.InvokeAsync(provider.StartAsync);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#admin")));
        Assert.StartsWith("jane.doe [admin]", cut.Find("#user").TextContent, StringComparison.Ordinal);

        groups = ["dev"]; // removed from admin, the tokens refreshed: the next answer says so
        await cut.InvokeAsync(provider.RevalidateAsync);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#not-admin")));
        await provider.DisposeAsync();
    }

    [Theory]
    [InlineData("http://localhost/orders?id=2", null, "auth/login?returnUrl=%2Forders%3Fid%3D2")]
    [InlineData("http://localhost/", null, "auth/login?returnUrl=%2F")]
    [InlineData("http://localhost/orders", "/cart", "auth/login?returnUrl=%2Fcart")]
    [InlineData("http://localhost/orders", "//evil.example/x", "auth/login?returnUrl=%2Forders")]
    [InlineData("http://localhost/orders", "/\\evil.example", "auth/login?returnUrl=%2Forders")]
    [InlineData("http://localhost/orders", "https://evil.example/", "auth/login?returnUrl=%2Forders")]
    [InlineData("http://localhost/orders", "/a\nb", "auth/login?returnUrl=%2Forders")]
    public void RedirectToCognitoLogin_sends_to_sign_in_with_a_local_return_url_and_a_full_load(string at, string? returnUrl, string expected)
    {
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo(at);
        Render<RedirectToCognitoLogin>(p => p.Add(c => c.ReturnUrl, returnUrl));

        var last = navigation.History.First();
        Assert.Equal("http://localhost/" + expected, navigation.Uri);
        Assert.True(last.Options.ForceLoad);
    }

    [Fact]
    public void RedirectToCognitoLogin_follows_the_configured_login_path()
    {
        Services.Configure<CognitoBlazorOptions>(o => o.LoginPath = "account/signin");
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo("http://localhost/x");
        Render<RedirectToCognitoLogin>();
        Assert.Equal("http://localhost/account/signin?returnUrl=%2Fx", navigation.Uri);
    }

    [Fact]
    public void CognitoSignOut_is_a_full_post_to_the_sign_out_endpoint()
    {
        var cut = Render<CognitoSignOut>(p => p.Add(c => c.ButtonId, "signout").Add(c => c.ButtonClass, "btn"));
        var form = cut.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("auth/logout", form.GetAttribute("action"));
        Assert.Equal("false", form.GetAttribute("data-enhance"));
        var button = cut.Find("button#signout");
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.Equal("btn", button.GetAttribute("class"));
        Assert.Equal("Sign out", button.TextContent);
    }

    [Fact]
    public void CognitoSignOut_takes_its_content_and_the_configured_path()
    {
        Services.Configure<CognitoBlazorOptions>(o => o.LogoutPath = "account/signout");
        var cut = Render<CognitoSignOut>(p => p.AddChildContent("Leave"));
        Assert.Equal("account/signout", cut.Find("form").GetAttribute("action"));
        Assert.Equal("Leave", cut.Find("button").TextContent);
    }

    [Fact]
    public void CognitoUser_of_anonymous_and_of_a_minimal_principal()
    {
        Assert.Same(CognitoUser.Anonymous, CognitoUser.From(null));
        Assert.Same(CognitoUser.Anonymous, CognitoUser.From(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.False(CognitoUser.Anonymous.IsSignedIn);
        Assert.Empty(CognitoUser.Anonymous.Groups);

        // A principal with the platform's claim types only (name identifier, name, roles).
        var user = CognitoUser.From(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "s1"), new Claim(ClaimTypes.Name, "bob"), new Claim("exp", "x"), new Claim("email_verified", "maybe")], "test")));
        Assert.True(user.IsSignedIn);
        Assert.Equal("s1", user.Sub);
        Assert.Equal("bob", user.Username);
        Assert.Null(user.ExpiresAt);
        Assert.Null(user.EmailVerified);
        Assert.False(user.IsInGroup("admin"));
        Assert.False(user.HasScope("openid"));

        var jane = CognitoUser.From(new ClaimsPrincipal(new ClaimsIdentity(JaneClaims, "test")));
        Assert.True(jane.IsInGroup("dev"));
        Assert.False(jane.IsInGroup("Dev"));
        Assert.True(jane.HasScope("orders/read"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_600), jane.ExpiresAt);
    }

    [Fact]
    public void CognitoUser_reads_the_adapters_claims_before_the_platforms()
    {
        static CognitoUser From(params (string Type, string Value)[] claims) =>
            CognitoUser.From(new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test")));

        var max = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        var user = From(
            ("sub", "s-cognito"), (ClaimTypes.NameIdentifier, "s-platform"),
            ("cognito:username", "u-cognito"), ("username", "u-access"), (ClaimTypes.Name, "u-name"),
            ("email_verified", "false"), ("custom:tenant", "acme"), ("custom:tenant", "other"), ("customer", "no"), ("Custom:plan", "no"),
            ("exp", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("s-cognito", user.Sub);
        Assert.Equal("u-cognito", user.Username);
        Assert.False(user.EmailVerified);
        Assert.Equal(new Dictionary<string, string> { ["custom:tenant"] = "acme" }, user.Attributes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(max), user.ExpiresAt);

        // An access token's principal names the user by "username"; past the last representable second, no horizon.
        var machine = From(("username", "u-access"), (ClaimTypes.Name, "u-name"), ("exp", (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("u-access", machine.Username);
        Assert.Null(machine.Sub);
        Assert.Null(machine.ExpiresAt);
        Assert.Empty(machine.Attributes);
    }

    [Fact]
    public void The_cascading_user_stops_following_once_disposed()
    {
        var auth = AddAuthorization();
        auth.SetNotAuthorized();
        CognitoUserSource? source = null;
        Services.AddCascadingValue<CognitoUser>(sp => source = new CognitoUserSource(sp.GetRequiredService<AuthenticationStateProvider>()));
        var cut = Render<UserProbe>();
        auth.SetAuthorized("jane.doe");
        cut.WaitForAssertion(() => Assert.StartsWith("jane.doe", cut.Find("#user").TextContent, StringComparison.Ordinal));

        source!.Dispose();
        auth.SetNotAuthorized();
        Assert.StartsWith("jane.doe", cut.Find("#user").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_still_pending_when_first_cascaded_is_published_once_known()
    {
        var pending = new PendingProvider();
        AddAuthorization(); // bUnit's authorization services, then the provider under test in place of its own
        Services.AddSingleton<AuthenticationStateProvider>(pending);
        Services.AddCognitoUser();
        var cut = Render<UserProbe>();
        Assert.Equal("anonymous", cut.Find("#user").TextContent);
        pending.State.SetResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(JaneClaims, "test"))));
        cut.WaitForAssertion(() => Assert.StartsWith("jane.doe [admin,dev]", cut.Find("#user").TextContent, StringComparison.Ordinal));
    }

    /// <summary>A provider whose state is worked out later, and that raises no change event when it is.</summary>
    private sealed class PendingProvider : AuthenticationStateProvider
    {
        internal TaskCompletionSource<AuthenticationState> State { get; } = new();

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => State.Task;
    }
}
