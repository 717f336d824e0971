using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Conformance.AspNet;

/// <summary>Several instances of one app: what they must share, and what a user sees when they do not.</summary>
public sealed class WebFarmTests
{
    [Fact]
    public async Task A_sign_in_started_on_an_instance_with_another_key_ring_fails_at_the_callback_with_a_message_that_names_the_fix()
    {
        // Two instances as on two machines: each its own Data Protection key ring (nothing shared on disk).
        await using var a = await DemoServer.StartAsync(customize: b => b.Services.AddDataProtection().UseEphemeralDataProtectionProvider());
        await using var b = await DemoServer.StartAsync(customize: b => b.Services.AddDataProtection().UseEphemeralDataProtectionProvider());
        using var browser = a.NewClient();
        var login = await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
        var flowCookie = browser.Cookies.GetCookies(new Uri(a.BaseAddress, "/auth/callback"))[".Cognito.SignIn"]!;

        var callbackOnB = await b.SendAsync(HttpMethod.Get, "/auth/callback?code=x&state=y", $"{flowCookie.Name}={flowCookie.Value}");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, callbackOnB.StatusCode);
        var page = await callbackOnB.Content.ReadAsStringAsync();
        Assert.Contains("the sign-in state could not be read", page);
        Assert.Contains("shared Data Protection key ring", page);
        Assert.DoesNotContain("Exception", page);
        var warning = Assert.Single(b.Logs.Lines, l => l.Event.Name == "SignInStateUnreadable");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("must share one Data Protection key ring", warning.Message);
        Assert.Contains("#running-several-instances", warning.Message);
    }

    [Fact]
    public async Task With_one_shared_key_ring_a_sign_in_started_on_one_instance_completes_on_another()
    {
        var keys = new DirectoryInfo(Path.Combine(Path.GetTempPath(), "cognito-farm-keys-" + Guid.NewGuid().ToString("N")));
        try
        {
            void Shared(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
                builder.Services.AddDataProtection().SetApplicationName("cognito-farm-test").PersistKeysToFileSystem(keys);
            await using var a = await DemoServer.StartAsync(customize: Shared);
            await using var b = await DemoServer.StartAsync(customize: Shared);
            using var browser = a.NewClient();
            var login = await browser.GetAsync("/auth/login?returnUrl=/", follow: false);
            var flowCookie = browser.Cookies.GetCookies(new Uri(a.BaseAddress, "/auth/callback"))[".Cognito.SignIn"]!;
            var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();

            // B reads A's flow cookie; the code is made up, so the sign-in ends at B's token endpoint, not before.
            var callbackOnB = await b.SendAsync(HttpMethod.Get, $"/auth/callback?code=madeup&state={Uri.EscapeDataString(state)}", $"{flowCookie.Name}={flowCookie.Value}");

            Assert.Equal(HttpStatusCode.BadRequest, callbackOnB.StatusCode);
            Assert.Contains("the token endpoint refused the code: invalid_grant", await callbackOnB.Content.ReadAsStringAsync());
            Assert.DoesNotContain(b.Logs.Lines, l => l.Event.Name == "SignInStateUnreadable");
        }
        finally
        {
            keys.Refresh();
            if (keys.Exists)
            {
                keys.Delete(recursive: true);
            }
        }
    }
}
