using System.Text.Json;
using Microsoft.Playwright;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The original scenario end to end with the real Amplify: Amplify in Chromium signs in through the
/// development pool's hosted UI and writes its cookies; the server renders pages and answers its API
/// for the same user from those cookies. Each test names the Amplify it drives.
/// </summary>
public sealed class AmplifyBrowserTests
{
    [Fact]
    public async Task Amplify_v6_signs_in_and_the_first_server_rendered_page_greets_the_user_whose_sub_the_api_returns()
    {
        await using var site = await AmplifyBrowser.StartAsync("v6");
        var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();

        await site.SignInAsync(page, "jane.doe");

        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome jane.doe");
        var sub = await page.Locator("#sub").TextContentAsync();
        var me = await AmplifyBrowser.ApiMeAsync(page);
        Assert.Equal(sub, me.GetProperty("sub").GetString());
        Assert.Equal("jane.doe", me.GetProperty("username").GetString());
        var amplifySees = await page.EvaluateAsync<JsonElement>("() => window.demo.session()");
        Assert.Equal(sub, amplifySees.GetProperty("sub").GetString());
        Assert.Empty(site.Errors);
    }
}
