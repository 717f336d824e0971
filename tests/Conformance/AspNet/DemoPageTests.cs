using System.Net;
using System.Text.Json;

namespace Cognito.Conformance.AspNet;

/// <summary>The demo's home page as a new user reads it: groups, how long the session lasts, long names.</summary>
public sealed class DemoPageTests
{
    [Fact]
    public async Task A_user_without_groups_reads_Groups_none_and_the_refresh_horizon()
    {
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("nogroups")).StatusCode);
        var home = await browser.PageAsync("/");
        Assert.Contains("<p id=\"groups\">Groups: none</p>", home);
        Assert.Contains("<p id=\"horizon\">Signed in ", home);
        Assert.Contains("renewed on the server with the refresh token", home);
        var expires = JsonDocument.Parse(await browser.Http.GetStringAsync("/api/me")).RootElement.GetProperty("expiresAt").GetInt64();
        Assert.Contains($"Tokens valid until {DateTimeOffset.FromUnixTimeSeconds(expires):u}", home);
    }

    [Fact]
    public async Task Groups_are_listed()
    {
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        await browser.SignInAsync("grouped", "admin,staff");
        Assert.Contains("<p id=\"groups\">Groups: admin, staff</p>", await browser.PageAsync("/"));
    }

    [Fact]
    public async Task A_128_character_username_is_greeted_and_wraps_instead_of_overflowing()
    {
        var name = new string('w', 120) + "@exa.io";
        Assert.Equal(127, name.Length);
        name += "m";
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(name)).StatusCode);
        var home = await browser.PageAsync("/");
        Assert.Equal(name, DemoServer.Client.Welcome(home));
        Assert.Contains("overflow-wrap:anywhere", home);
    }
}
