using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace Cognito.Blazor.Tests;

/// <summary>
/// The WebAssembly provider: starts from the state the server serialized with the platform's
/// AddAuthenticationStateSerialization (its key), then follows the session endpoint's claims.
/// </summary>
public sealed class ClientProviderTests
{
    private readonly FakeBrowser _browser = new();

    private static async Task<PersistentComponentState> Persisted(AuthenticationStateData? data)
    {
        var manager = new ComponentStatePersistenceManager(NullLogger<ComponentStatePersistenceManager>.Instance);
        var store = new Store(data is null
            ? new Dictionary<string, byte[]>()
            : new Dictionary<string, byte[]> { ["__internal__AuthenticationState"] = JsonSerializer.SerializeToUtf8Bytes(data, JsonSerializerOptions.Web) });
        await manager.RestoreStateAsync(store);
        return manager.State;
    }

    private CognitoClientAuthenticationStateProvider Provider(PersistentComponentState state) =>
        new(_browser, Options.Create(new CognitoBlazorOptions()), state);

    [Fact]
    public async Task It_starts_from_the_servers_serialized_state_and_asks_for_the_claims()
    {
        var data = new AuthenticationStateData
        {
            Claims = [new ClaimData(ClaimTypes.Name, "jane.doe"), new ClaimData(ClaimTypes.Role, "admin")],
            NameClaimType = ClaimTypes.Name,
            RoleClaimType = ClaimTypes.Role,
        };
        _browser.Answer = _ => null; // not answered yet: the serialized state stands
        await using var provider = Provider(await Persisted(data));
        await Task.Yield();

        var user = (await provider.GetAuthenticationStateAsync()).User;
        Assert.Equal("jane.doe", user.Identity!.Name);
        Assert.Equal("Cognito", user.Identity.AuthenticationType);
        Assert.True(user.IsInRole("admin"));
        Assert.Equal("?claims", _browser.Queries.Single());
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","authenticationType":42""")]
    [InlineData(""","authenticationType":null""")]
    public async Task An_answer_without_a_textual_authentication_type_is_Cognito(string kind)
    {
        _browser.Answer = _ => $$"""{"signedIn":true{{kind}},"claims":[{"type":"sub","value":"s1"}]}""";
        await using var provider = Provider(await Persisted(null));
        await provider.RevalidateAsync();
        var user = (await provider.GetAuthenticationStateAsync()).User;
        Assert.Equal("Cognito", user.Identity!.AuthenticationType);
        Assert.Equal("s1", user.FindFirst("sub")!.Value);
    }

    [Fact]
    public void The_persisted_state_is_required() =>
        Assert.Throws<ArgumentNullException>(() => new CognitoClientAuthenticationStateProvider(_browser, Options.Create(new CognitoBlazorOptions()), null!));

    [Fact]
    public async Task AddCognitoBlazorClient_registers_the_provider_the_cascades_and_a_same_origin_api_client()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IJSRuntime>(_browser);
        services.AddSingleton<NavigationManager>(new TestNavigation());
        services.AddSingleton(await Persisted(null));
        services.AddScoped<AuthenticationStateProvider, PlatformProvider>(); // what a template registered before
        services.AddCognitoBlazorClient(o => o.RevalidationInterval = TimeSpan.FromSeconds(30));
        Assert.Single(services, d => d.ServiceType == typeof(AuthenticationStateProvider));
        var suppliers = services.Count(d => d.ServiceType.Name == "ICascadingValueSupplier");
        Assert.Equal(2, suppliers); // the authentication state and the CognitoUser
        services.AddCognitoUser();
        Assert.Equal(suppliers, services.Count(d => d.ServiceType.Name == "ICascadingValueSupplier")); // once only

        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<CognitoClientAuthenticationStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>());
        Assert.Equal(TimeSpan.FromSeconds(30), scope.ServiceProvider.GetRequiredService<IOptions<CognitoBlazorOptions>>().Value.RevalidationInterval);
        var http = scope.ServiceProvider.GetRequiredService<HttpClient>();
        Assert.Equal(new Uri("http://127.0.0.1:1/base/"), http.BaseAddress);
        await Assert.ThrowsAsync<InvalidOperationException>(() => http.GetAsync(new Uri("https://evil.example/api")));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/me")); // sent for real: nothing listens on port 1

        // An app's own HttpClient is kept.
        using var own = new HttpClient();
        var mine = new ServiceCollection().AddScoped(_ => own).AddCognitoBlazorClient();
        Assert.Single(mine, d => d.ServiceType == typeof(HttpClient));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddCognitoBlazorClient());
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddCognitoUser());
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddCognitoBlazorOptions());
    }

    private sealed class TestNavigation : NavigationManager
    {
        public TestNavigation() => Initialize("http://127.0.0.1:1/base/", "http://127.0.0.1:1/base/page");
    }

    private sealed class PlatformProvider : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => throw new NotSupportedException();
    }

    [Fact]
    public async Task Without_a_serialized_state_it_is_anonymous_until_the_server_answers()
    {
        _browser.Answer = _ => """{"signedIn":true,"authenticationType":"CognitoCookies","claims":[{"type":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","value":"sam"},{"type":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","value":"dev"}]}""";
        await using var provider = Provider(await Persisted(null));
        await provider.RevalidateAsync();
        var user = (await provider.GetAuthenticationStateAsync()).User;
        Assert.Equal("sam", user.Identity!.Name);
        Assert.Equal("CognitoCookies", user.Identity.AuthenticationType);
        Assert.True(user.IsInRole("dev"));
    }

    [Theory]
    [InlineData("""{"signedIn":false}""")]
    [InlineData("""{"signedIn":true}""")]
    [InlineData("""{"signedIn":true,"claims":{}}""")]
    [InlineData("""{"signedIn":true,"claims":[{"type":"a"}]}""")]
    [InlineData("""{"signedIn":true,"claims":[{"type":"a","value":1}]}""")]
    [InlineData("""{"signedIn":true,"claims":[42]}""")]
    public async Task A_signed_out_or_malformed_answer_is_anonymous(string answer)
    {
        var data = new AuthenticationStateData { Claims = [new ClaimData(ClaimTypes.Name, "jane.doe")] };
        _browser.Answer = _ => answer;
        await using var provider = Provider(await Persisted(data));
        await provider.RevalidateAsync();
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
    }

    private sealed class Store(IDictionary<string, byte[]> state) : IPersistentComponentStateStore
    {
        public Task<IDictionary<string, byte[]>> GetPersistedStateAsync() => Task.FromResult(state);

        public Task PersistStateAsync(IReadOnlyDictionary<string, byte[]> state) => Task.CompletedTask;
    }
}
