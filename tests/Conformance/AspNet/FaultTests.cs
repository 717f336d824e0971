using System.Net;
using System.Text.Json;
using Cognito.AspNet.Development;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The app under concurrent sign-ins, refreshes and sign-outs while the user pool is slow and fails
/// now and then: no request is served as another user, the server keeps serving, and no response
/// writes half a session.
/// </summary>
public sealed class FaultTests
{
    private const string Prefix = "CognitoIdentityServiceProvider." + DevelopmentUserPool.ClientId;
    private static readonly string[] SessionCookies = ["LastAuthUser", "idToken", "accessToken", "clockDrift"];

    [Fact]
    public async Task A_slow_and_failing_pool_never_serves_a_request_as_another_user()
    {
        // Twelve users from one address retrying: the back channel's per-client budget (20 calls a minute)
        // would turn some retries into 429s, which is not what this test is about.
        await using var server = await DemoServer.StartAsync(o => o.BackchannelCallsPerClientPerMinute = 0);
        server.Probe.TokenLatency = TimeSpan.FromMilliseconds(30);
        server.Probe.TokenFailureRate = 0.25;
        var users = Enumerable.Range(0, 12).Select(i => $"user{i}").ToArray();
        var browsers = users.ToDictionary(u => u, _ => server.NewClient());
        var halfWritten = 0;

        void CheckWhole(HttpResponseMessage response)
        {
            var names = response.Headers.TryGetValues("Set-Cookie", out var values)
                ? values.Where(v => v.StartsWith(Prefix, StringComparison.Ordinal) && !v.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)).Select(v => v.Split('=')[0]).ToArray()
                : [];
            if (names.Length > 0 && !SessionCookies.All(c => names.Any(n => n.EndsWith("." + c, StringComparison.Ordinal))))
            {
                Interlocked.Increment(ref halfWritten);
            }
        }

        async Task<string> Me(string user)
        {
            var response = await browsers[user].GetAsync("/api/me", follow: false);
            CheckWhole(response);
            return response.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("username").GetString()!
                : $"{(int)response.StatusCode}";
        }

        // Sign-ins, concurrently, retried as a person would when the pool fails.
        await Task.WhenAll(users.Select(async user =>
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var callback = await browsers[user].SignInAsync(user);
                CheckWhole(callback);
                if (callback.StatusCode == HttpStatusCode.Redirect)
                {
                    return;
                }
            }
        }));
        var signedIn = users.Where(u => browsers[u].Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.LastAuthUser"] is not null).ToArray();
        Assert.True(signedIn.Length >= users.Length - 1, $"{signedIn.Length} of {users.Length} signed in");

        // Every request is its own user or anonymous, through token expiry and failing refreshes.
        var seen = new List<(string User, string AnsweredAs)>();
        for (var round = 0; round < 3; round++)
        {
            server.Clock.Now += TimeSpan.FromHours(2);
            var answers = await Task.WhenAll(signedIn.SelectMany(user => Enumerable.Range(0, 4).Select(async _ => (user, await Me(user)))));
            seen.AddRange(answers);
        }

        Assert.DoesNotContain(seen, s => s.AnsweredAs != s.User && s.AnsweredAs != "401");
        Assert.Contains(seen, s => s.AnsweredAs == s.User);
        Assert.True(server.Probe.RefreshRequests > 0);

        // Sign-outs, concurrently: each clears its own session; the server still answers.
        await Task.WhenAll(signedIn.Select(async user =>
        {
            var logout = await browsers[user].PostAsync("/auth/logout", [], follow: false);
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }));
        foreach (var user in signedIn)
        {
            Assert.Equal("401", await Me(user));
        }

        Assert.Equal(0, halfWritten);
        Assert.Equal(HttpStatusCode.OK, (await browsers[users[0]].GetAsync("/", follow: false)).StatusCode);
        foreach (var browser in browsers.Values)
        {
            browser.Dispose();
        }
    }
}
