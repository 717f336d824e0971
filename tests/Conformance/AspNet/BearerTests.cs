using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognito.AspNet;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Issue 12: APIs called with <c>Authorization: Bearer &lt;access token&gt;</c> — the demo with
/// <c>AddCognito()</c> (cookies for pages, bearer for APIs) on a real pool: users' and machines' access
/// tokens, scope policies, and every refusal's 401 with its RFC 6750 <c>WWW-Authenticate</c>.
/// </summary>
public sealed class BearerTests : IAsyncLifetime
{
    private static readonly TestPool Pool = TestPool.Default;
    private DemoServer _server = null!;

    public async Task InitializeAsync() => _server = await DemoServer.StartOnPoolAsync(Pool, options => options.FollowKeyRotation = false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Get(string path, string? authorization) =>
        authorization is null ? _server.SendAsync(HttpMethod.Get, path, null) : _server.SendAsync(HttpMethod.Get, path, null, ("Authorization", authorization));

    private static JsonObject Machine(string scope = "orders/read orders/write", string? clientId = null)
    {
        var claims = Pool.AccessClaims();
        claims.Remove("username");
        claims["sub"] = clientId ?? Pool.ClientId;
        claims["client_id"] = clientId ?? Pool.ClientId;
        claims["scope"] = scope;
        return claims;
    }

    [Fact]
    public async Task A_users_access_token_is_the_user()
    {
        var me = await Get("/api/me", "Bearer " + Pool.AccessToken("jane.doe", ["admin"]));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("jane.doe", body.GetProperty("username").GetString());
        Assert.Equal("5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", body.GetProperty("sub").GetString());
        Assert.Equal(["admin"], body.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["openid", "email"], body.GetProperty("scopes").EnumerateArray().Select(g => g.GetString()));
        Assert.False(me.Headers.Contains("Set-Cookie")); // a bearer request writes no session
    }

    [Fact]
    public async Task A_machine_token_is_its_app_client_and_scope_policies_read_it()
    {
        var me = await Get("/api/me", "Bearer " + Pool.Sign(Machine()));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, body.GetProperty("username").ValueKind);
        Assert.Equal(Pool.ClientId, body.GetProperty("sub").GetString());
        Assert.Equal(Pool.ClientId, body.GetProperty("clientId").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Get("/api/orders", "Bearer " + Pool.Sign(Machine()))).StatusCode);
        var forbidden = await Get("/api/orders", "Bearer " + Pool.Sign(Machine("orders/write")));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", forbidden.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_of_the_updated_issuer_form_is_accepted()
    {
        var claims = Pool.AccessClaims();
        claims["iss"] = Pool.Pool.UpdatedIssuer;
        Assert.Equal(HttpStatusCode.OK, (await Get("/api/me", "Bearer " + Pool.Sign(claims))).StatusCode);
    }

    public static TheoryData<string, string> Refusals()
    {
        var expired = Pool.AccessClaims();
        expired["exp"] = TestPool.Now.ToUnixTimeSeconds() - 3600;
        var noSub = Machine();
        noSub.Remove("sub");
        var otherIssuer = Pool.AccessClaims();
        otherIssuer["iss"] = "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Another1";
        var stranger = new TestPool(Pool.Region, Pool.UserPoolId, Pool.ClientId, Pool.Kid, TestPool.StrangerKey);
        return new()
        {
            { Pool.Sign(Machine(clientId: "unconfiguredclient000000")), "wrong-client" },
            { Pool.IdToken(), "wrong-token-use" },
            { Pool.Sign(noSub), "malformed" },
            { Pool.Sign(expired), "expired" },
            { Pool.Sign(otherIssuer), "unknown-issuer" },
            { stranger.AccessToken(), "bad-signature" },
            { "not-a-token", "malformed" },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_refusal_is_a_401_with_its_code_and_never_the_token(string token, string code)
    {
        var refused = await Get("/api/me", "Bearer " + token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{code}\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(token, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        lock (_server.Logs.Lines)
        {
            Assert.DoesNotContain(_server.Logs.Lines, l => l.Message.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_a_bearer_header_the_cookie_scheme_answers()
    {
        var page = await Get("/admin", null);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode); // pages: sign in
        var api = await Get("/api/me", "Basic dXNlcjpwYXNz");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.StartsWith("CognitoCookies", api.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // The same API with the cookies of a session.
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", Pool.CookieHeader());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("orders/read", true)]
    [InlineData("openid orders/read", true)]
    [InlineData("openid orders/readonly", false)]
    [InlineData("ORDERS/READ", false)]
    [InlineData("", false)]
    public async Task A_scope_policy_reads_one_claim_per_scope_and_space_separated_claims(string scopeClaim, bool allowed)
    {
        var requirement = (Microsoft.AspNetCore.Authorization.Infrastructure.AssertionRequirement)new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireScope("orders/read", "orders/admin").Build().Requirements.Single();
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("scope", scopeClaim), new System.Security.Claims.Claim("scope", "email")], "test"));
        var context = new Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext([requirement], user, null);
        await requirement.HandleAsync(context);
        Assert.Equal(allowed, context.HasSucceeded);
    }

    [Fact]
    public void A_scope_policy_names_at_least_one_scope()
    {
        var builder = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder();
        Assert.Throws<ArgumentException>("scopes", () => builder.RequireScope());
        Assert.Throws<ArgumentException>("scopes", () => builder.RequireScope("orders/read", " "));
    }

    // ---- The development pool's machine client and updated issuer, offline ----

    private static async Task<HttpResponseMessage> ClientCredentials(DemoServer server, string secret, string? scope)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Cognito.AspNet.Development.DevelopmentUserPool.PathBase}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(scope is null ? [new("grant_type", "client_credentials")] : [new("grant_type", "client_credentials"), new("scope", scope)]),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Cognito.AspNet.Development.DevelopmentUserPool.MachineClientId}:{secret}")));
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task The_development_pool_issues_machine_tokens_the_bearer_scheme_accepts()
    {
        await using var server = await DemoServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        async Task<HttpStatusCode> Orders(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
            request.Headers.Authorization = new("Bearer", token);
            return (await http.SendAsync(request)).StatusCode;
        }

        var answer = JsonDocument.Parse(await (await ClientCredentials(server, server.Pool.MachineClientSecret, null)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bearer", answer.GetProperty("token_type").GetString());
        Assert.False(answer.TryGetProperty("id_token", out _));
        Assert.Equal(HttpStatusCode.OK, await Orders(answer.GetProperty("access_token").GetString()!));

        var writeOnly = JsonDocument.Parse(await (await ClientCredentials(server, server.Pool.MachineClientSecret, "orders/write")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Forbidden, await Orders(writeOnly.GetProperty("access_token").GetString()!));

        Assert.Contains("invalid_client", await (await ClientCredentials(server, "wrong-secret", null)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("invalid_scope", await (await ClientCredentials(server, server.Pool.MachineClientSecret, "orders/read admin")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_pool_can_mint_the_updated_issuer_form()
    {
        await using var server = await DemoServer.StartAsync();
        server.Pool.UpdatedIssuer = true;
        using var browser = server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("jane")).StatusCode);
        var me = JsonDocument.Parse(await (await browser.GetAsync("/api/me")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("jane", me.GetProperty("username").GetString());
        var idToken = browser.Cookies.GetCookies(server.BaseAddress)[$"CognitoIdentityServiceProvider.{Cognito.AspNet.Development.DevelopmentUserPool.ClientId}.jane.idToken"]!.Value;
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(idToken.Split('.')[1].Replace('-', '+').Replace('_', '/').PadRight((idToken.Split('.')[1].Length + 3) / 4 * 4, '=')));
        Assert.Contains("\"iss\":\"https://issuer-cognito-idp.local.amazonaws.com/local_DevelopmentPool\"", payload, StringComparison.Ordinal);
    }
}
