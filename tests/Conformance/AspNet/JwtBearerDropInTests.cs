using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Cognito.AspNet;
using Cognito.AspNet.JwtBearer;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// Issue 12: an existing <c>AddJwtBearer</c> app with <c>options.UseCognito(...)</c>, on the real
/// JwtBearerHandler and Kestrel: it accepts and refuses the same tokens as <c>AddCognitoBearer</c>,
/// and the app's JwtBearer events still run.
/// </summary>
public sealed class JwtBearerDropInTests : IAsyncLifetime, IDisposable
{
    private static readonly TestPool Pool = TestPool.Default;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private int _validated;
    private int _failed;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.UseCognito(Pool.Auth());
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = _ =>
                {
                    Interlocked.Increment(ref _validated);
                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = _ =>
                {
                    Interlocked.Increment(ref _failed);
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Json(new
        {
            name = user.Identity?.Name,
            sub = user.FindFirst("sub")?.Value,
            scopes = user.FindAll("scope").Select(c => c.Value),
            roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value),
        })).RequireAuthorization();
        _app.MapGet("/api/orders", () => "orders").RequireAuthorization(policy => policy.RequireScope("orders/read"));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Get(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task A_users_access_token_is_accepted_with_Cognitos_claims()
    {
        var me = await Get("/api/me", Pool.AccessToken("jane.doe", ["admin"]));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("jane.doe", body.GetProperty("name").GetString());
        Assert.Equal(["openid", "email"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["admin"], body.GetProperty("roles").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1, _validated); // the app's own events still run
    }

    [Fact]
    public async Task A_machine_token_and_a_scope_policy()
    {
        var machine = Pool.AccessClaims();
        machine.Remove("username");
        machine["sub"] = Pool.ClientId;
        machine["scope"] = "orders/read";
        Assert.Equal(HttpStatusCode.OK, (await Get("/api/orders", Pool.Sign(machine))).StatusCode);
        machine["scope"] = "orders/write";
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("/api/orders", Pool.Sign(machine))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(BearerTests.Refusals), MemberType = typeof(BearerTests))]
    public async Task It_refuses_what_the_bearer_scheme_refuses(string token, string code)
    {
        var refused = await Get("/api/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _failed);
        Assert.NotEmpty(code);
    }

    [Fact]
    public async Task The_handler_reads_tokens_and_says_the_code_of_a_refusal()
    {
        var handler = new CognitoTokenHandler(Pool.Auth());
        Assert.Equal(Pool.Issuer, ((Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)handler.ReadToken(Pool.AccessToken())).Issuer);
        Assert.Throws<ArgumentNullException>("auth", () => new CognitoTokenHandler(null!));
        var result = await handler.ValidateTokenAsync(Pool.IdToken(), new Microsoft.IdentityModel.Tokens.TokenValidationParameters());
        Assert.False(result.IsValid);
        Assert.StartsWith("wrong-token-use: ", result.Exception.Message, StringComparison.Ordinal);
    }
}
