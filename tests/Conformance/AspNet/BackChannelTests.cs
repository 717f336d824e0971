using System.Net;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Issue 13, items 5–7: the back channel is pinned at start-up (a forged Host header never sends a code,
/// a refresh token or the client secret elsewhere), a failed key fetch is logged, and the health check
/// tells Healthy, Degraded and Unhealthy apart.
/// </summary>
public sealed class BackChannelTests
{
    private static readonly TestPool Pool = TestPool.Default;

    /// <summary>Signs in through the development pool's form up to the callback, which is sent with <paramref name="host"/> as its Host header.</summary>
    private static async Task<HttpResponseMessage> SignInWithHostAsync(DemoServer server, DemoServer.Client browser, string host)
    {
        var login = await browser.GetAsync("/auth/login?returnUrl=%2F", follow: false);
        var authorize = new Uri(server.BaseAddress, login.Headers.Location!);
        var fields = QueryHelpers.ParseQuery(authorize.Query).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).ToList();
        fields.Add(KeyValuePair.Create("username", "victim"));
        fields.Add(KeyValuePair.Create("groups", ""));
        var submitted = await browser.PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/authorize", fields, follow: false);
        using var callback = new HttpRequestMessage(HttpMethod.Get, submitted.Headers.Location);
        callback.Headers.Host = host;
        return await browser.Http.SendAsync(callback);
    }

    [Fact]
    public async Task A_forged_Host_header_never_receives_the_code_or_the_client_secret()
    {
        await using var server = await DemoServer.StartAsync(options => options.ClientSecret = "dev-client-secret-0123456789");
        server.Pool.ClientSecret = "dev-client-secret-0123456789";
        await using var attacker = FaultServer.Start();
        using var browser = server.NewClient();

        var callback = await SignInWithHostAsync(server, browser, $"127.0.0.1:{attacker.Port}");
        Assert.Equal(0, attacker.Requests); // before the fix: the code and the secret were posted to the attacker's server
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(1, server.Probe.TokenRequests);
    }

    [Fact]
    public async Task A_forged_Host_header_never_receives_the_refresh_token()
    {
        await using var server = await DemoServer.StartAsync();
        await using var attacker = FaultServer.Start();
        using var browser = server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("victim")).StatusCode);
        server.Clock.Now += TimeSpan.FromHours(2);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Host = $"127.0.0.1:{attacker.Port}";
        var me = await browser.Http.SendAsync(request);
        Assert.Equal(0, attacker.Requests);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(1, server.Probe.RefreshRequests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::]:80", "http://[::1]/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://192.0.2.7:443", "https://192.0.2.7/")]
    [InlineData("http://127.0.0.1", null)]
    [InlineData("unix:/tmp/kestrel.sock", null)]
    [InlineData("http://127.0.0.1:99999", null)]
    public void The_pinned_address_is_read_from_the_bound_addresses(string bound, string? pinned) =>
        Assert.Equal(pinned, ListeningAddress.Parse(bound)?.ToString());

    [Fact]
    public void Loopback_and_http_addresses_are_preferred()
    {
        Assert.Equal("http://127.0.0.1:5080/", ListeningAddress.Choose(["https://192.0.2.7:443", "https://127.0.0.1:5081", "http://127.0.0.1:5080"])!.ToString());
        Assert.Equal("https://127.0.0.1:5081/", ListeningAddress.Choose(["http://192.0.2.7:80", "https://127.0.0.1:5081"])!.ToString());
        Assert.Null(ListeningAddress.Choose(null));
        Assert.Null(ListeningAddress.Choose(["unix:/tmp/x.sock"]));
    }

    /// <summary>The demo on a real pool whose JWKS address is a fault server; keys from pems.json when given.</summary>
    private static Task<DemoServer> AppWithJwksAt(FaultServer jwks, bool initialKeys) =>
        DemoServer.StartOnPoolAsync(Pool, options =>
        {
            options.Keys = initialKeys ? Pool.KeySet() : null;
            options.PemsPath = "/nonexistent/pems.json";
            options.JwksUri = new Uri(jwks.BaseAddress, "jwks.json");
        });

    private static async Task<HealthReport> Health(DemoServer server) =>
        await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    [Fact]
    public async Task A_failed_key_fetch_is_logged_and_the_health_check_is_degraded_until_a_fetch_succeeds()
    {
        await using var jwks = FaultServer.Start();
        jwks.Good = () => (200, "application/json", JwksServer.Document([new("key-1", Pool.Key), new("key-2", TestPool.SecondKey)]));
        jwks.Mode = Fault.ServerError;
        await using var server = await AppWithJwksAt(jwks, initialKeys: true);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HealthStatus.Healthy, (await Health(server)).Status);

        var rotated = new TestPool(Pool.Region, Pool.UserPoolId, Pool.ClientId, "key-2", TestPool.SecondKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", rotated.CookieHeader());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);

        string[] logged;
        lock (server.Logs.Lines)
        {
            logged = [.. server.Logs.Lines.Where(l => l.Event.Name == "KeyFetchFailed").Select(l => $"{l.Level} {l.Event.Id} {l.Message}")];
        }

        Assert.Equal($"Warning 10 Fetching the JWKS of user pool {Pool.UserPoolId} failed (the keys already loaded stay in use): {new Uri(jwks.BaseAddress, "jwks.json")} answered 503 Service Unavailable: the JWKS endpoint failed, try again later", Assert.Single(logged));
        var degraded = await Health(server);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("1 keys; last JWKS fetch failed: " + logged[0][(logged[0].IndexOf("): ", StringComparison.Ordinal) + 3)..], degraded.Entries["cognito"].Data[Pool.UserPoolId]);
        var page = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("Degraded", await page.Content.ReadAsStringAsync());

        jwks.Mode = null;
        server.Clock.Now += TimeSpan.FromSeconds(11); // past the penalty box
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        again.Headers.Add("Cookie", rotated.CookieHeader());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(again)).StatusCode);
        Assert.Equal(HealthStatus.Healthy, (await Health(server)).Status);
    }

    [Fact]
    public async Task A_pool_without_a_usable_key_is_unhealthy_and_the_check_fetches_its_keys()
    {
        await using var jwks = FaultServer.Start();
        jwks.Good = () => (200, "application/json", JwksServer.Document([new("key-1", Pool.Key)]));
        jwks.Mode = Fault.ResetBeforeStatus;
        await using var server = await AppWithJwksAt(jwks, initialKeys: false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var page = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("Unhealthy", await page.Content.ReadAsStringAsync());
        Assert.Equal(1, jwks.Requests); // the check asked for the keys

        jwks.Mode = null;
        Assert.Equal(HealthStatus.Unhealthy, (await Health(server)).Status); // inside the penalty box: no second fetch
        Assert.Equal(1, jwks.Requests);
        server.Clock.Now += TimeSpan.FromSeconds(11);
        var healthy = await Health(server);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("1 keys", healthy.Entries["cognito"].Data[Pool.UserPoolId]);
        Assert.Equal("Cognito keys loaded", healthy.Entries["cognito"].Description);
    }

    [Fact]
    public async Task The_development_pool_is_healthy()
    {
        await using var server = await DemoServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
    }
}
