using System.Net;
using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Blazor.Tests;

/// <summary>
/// <c>RequireCognitoApiHeader()</c> on real Kestrel (127.0.0.1): a request that changes state needs the WebAssembly
/// client's header; one that reads (GET, HEAD, OPTIONS, TRACE) never does; the header's value must be exact.
/// </summary>
public sealed class ApiHeaderTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        _app = builder.Build();
        _app.MapMethods("/api/notes", ["GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"], (HttpContext context) => Results.Text("ran " + context.Request.Method))
            .RequireCognitoApiHeader();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpStatusCode> Send(string method, string? header)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/notes");
        if (header is not null)
        {
            request.Headers.Add(CognitoApiRequestExtensions.HeaderName, header);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task A_request_that_only_reads_needs_no_header(string method) =>
        Assert.Equal(HttpStatusCode.OK, await Send(method, null));

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task A_request_that_changes_state_needs_the_exact_header(string method)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await Send(method, null));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(method, "xmlhttprequest"));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(method, ""));
        Assert.Equal(HttpStatusCode.OK, await Send(method, CognitoApiRequestExtensions.HeaderValue));
    }

    [Fact]
    public async Task The_refusal_says_which_header_is_missing()
    {
        using var response = await _http.PostAsync("/api/notes", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"title\":\"Cross-site request refused\"", body, StringComparison.Ordinal);
        Assert.Contains("X-Requested-With: XMLHttpRequest", body, StringComparison.Ordinal);
    }
}
