using System.Net;
using System.Text.Json.Nodes;
using Cognito.AspNet;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The fault-injection suite (issue 13), the adapter's back channel: the token endpoint for the code
/// exchange and the refresh, and revoke, against a real socket server that refuses, resets, cuts,
/// stalls, floods, lies and redirects, or answers slowly but in time (<see cref="Fault"/>). For every
/// case: no exception escapes (nothing logged at Error), the browser gets the documented answer, a
/// later good answer is used (no failure is kept), and no secret reaches the logs or another server.
/// </summary>
public sealed class BackChannelFaultTests
{
    private const string ClientSecret = "client-secret-value-0123456789";
    private const string RefreshToken = "refresh-token-value-abcdefghijklmnopqrstuvwxyz";
    private const string Code = "authorization-code-value-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TestPool Pool = TestPool.Default;

    public static TheoryData<Fault> Faults() => [.. Enum.GetValues<Fault>()];

    /// <summary>The demo on a real (non-development) pool whose hosted UI domain is the fault server.</summary>
    private static async Task<(DemoServer Server, FaultServer Idp, FaultServer Trap)> AppOnFaultyPool(Fault fault)
    {
        var trap = FaultServer.Start();
        var idp = FaultServer.Start();
        idp.RedirectTarget = new Uri(trap.BaseAddress, "oauth2/token");
        idp.SlowDelay = Timeout / 5;
        var server = await DemoServer.StartOnPoolAsync(Pool, options =>
        {
            options.ClientSecret = ClientSecret;
            options.Domain = idp.BaseAddress.ToString();
            options.FollowKeyRotation = false;
            options.BackchannelTimeout = Timeout;
        });
        idp.Good = () => (200, "application/json", TokenAnswer(server.Clock.Now));
        idp.Mode = fault;
        return (server, idp, trap);
    }

    /// <summary>What Cognito's token endpoint answers: tokens valid for an hour from <paramref name="now"/>.</summary>
    private static string TokenAnswer(DateTimeOffset now)
    {
        JsonObject Fresh(JsonObject claims)
        {
            claims["iat"] = now.ToUnixTimeSeconds();
            claims["exp"] = now.ToUnixTimeSeconds() + 3600;
            return claims;
        }

        return new JsonObject
        {
            ["id_token"] = Pool.Sign(Fresh(Pool.IdClaims())),
            ["access_token"] = Pool.Sign(Fresh(Pool.AccessClaims())),
            ["refresh_token"] = RefreshToken,
            ["expires_in"] = 3600,
            ["token_type"] = "Bearer",
        }.ToJsonString();
    }

    private static async Task<HttpResponseMessage> SignInAsync(DemoServer.Client browser)
    {
        var login = await browser.GetAsync("/auth/login?returnUrl=%2Fadmin", follow: false);
        var state = QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();
        return await browser.GetAsync($"/auth/callback?code={Code}&state={state}", follow: false);
    }

    private static string[] SessionCookiesSet(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? [.. values.Where(v => v.StartsWith("CognitoIdentityServiceProvider.", StringComparison.Ordinal) && !v.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal))]
            : [];

    /// <summary>No secret in any log line, nothing at Error or above (an escaped exception), and nothing reached the trap.</summary>
    private static void NothingLeaked(DemoServer server, FaultServer trap)
    {
        List<(string Category, Microsoft.Extensions.Logging.LogLevel Level, Microsoft.Extensions.Logging.EventId Event, string Message)> lines;
        lock (server.Logs.Lines)
        {
            lines = [.. server.Logs.Lines];
        }

        foreach (var secret in new[] { ClientSecret, RefreshToken, Code, "eyJ" })
        {
            Assert.DoesNotContain(lines, line => line.Message.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal(0, trap.Requests);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Token_endpoint_code_exchange(Fault fault)
    {
        var (server, idp, trap) = await AppOnFaultyPool(fault);
        await using var _ = server;
        await using var __ = idp;
        await using var ___ = trap;
        using var browser = server.NewClient();

        var callback = await SignInAsync(browser);
        if (fault == Fault.SlowButInTime)
        {
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            Assert.Equal("/admin", callback.Headers.Location!.OriginalString);
        }
        else
        {
            Assert.Contains((int)callback.StatusCode, new[] { 400, 502 });
            Assert.Contains("Sign-in failed", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(SessionCookiesSet(callback));
        }

        Assert.True(fault == Fault.ConnectionRefused || idp.LastRequest.Contains($"code={Code}", StringComparison.Ordinal));
        idp.Mode = null;
        var retried = await SignInAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal(5, SessionCookiesSet(retried).Length);
        NothingLeaked(server, trap);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Token_endpoint_refresh(Fault fault)
    {
        var (server, idp, trap) = await AppOnFaultyPool(fault);
        await using var _ = server;
        await using var __ = idp;
        await using var ___ = trap;
        var expired = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken(), RefreshToken);
        server.Clock.Now = TestPool.Now + TimeSpan.FromHours(2);
        Task<HttpResponseMessage> Me() => server.SendAsync(HttpMethod.Get, "/api/me", expired);

        var me = await Me();
        if (fault == Fault.SlowButInTime)
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(5, SessionCookiesSet(me).Length);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
            Assert.Empty(SessionCookiesSet(me)); // a fault is not invalid_grant: the cookies are not cleared
            Assert.False(me.Headers.TryGetValues("Set-Cookie", out var cleared) && cleared.Any(c => c.Contains(".refreshToken=", StringComparison.Ordinal)));
        }

        Assert.True(fault == Fault.ConnectionRefused || idp.LastRequest.Contains("grant_type=refresh_token", StringComparison.Ordinal));
        idp.Mode = null;
        server.Clock.Now += RefreshCoordinator.FailureRetention; // a failure is answered from memory for a while, then retried
        var retried = await Me();
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        NothingLeaked(server, trap);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Revoke_on_sign_out(Fault fault)
    {
        var (server, idp, trap) = await AppOnFaultyPool(fault);
        await using var _ = server;
        await using var __ = idp;
        await using var ___ = trap;
        idp.Good = () => (200, "application/json", "");
        Task<HttpResponseMessage> Logout() => server.SendAsync(HttpMethod.Post, "/auth/logout", AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.IdToken(), Pool.AccessToken(), RefreshToken));

        var logout = await Logout();
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode); // sign-out goes on whatever revoke did
        Assert.StartsWith(new Uri(idp.BaseAddress, "logout").ToString(), logout.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.Contains(".idToken=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        int RevokeFailures()
        {
            lock (server.Logs.Lines)
            {
                return server.Logs.Lines.Count(l => l.Event.Name == "RevokeFailed");
            }
        }

        Assert.Equal(fault == Fault.SlowButInTime ? 0 : 1, RevokeFailures());
        Assert.True(fault == Fault.ConnectionRefused || idp.LastRequest.Contains("token=" + RefreshToken, StringComparison.Ordinal));
        idp.Mode = null;
        Assert.Equal(HttpStatusCode.Redirect, (await Logout()).StatusCode);
        Assert.Equal(fault == Fault.SlowButInTime ? 0 : 1, RevokeFailures());
        NothingLeaked(server, trap);
    }
}
