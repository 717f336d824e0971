using System.Net;
using System.Net.Http;

namespace Cognito.Blazor.Tests;

/// <summary>The WebAssembly side's HttpClient: this site's APIs only, each request marked for RequireCognitoApiHeader().</summary>
public sealed class ApiHandlerTests
{
    private sealed class Recorder : HttpMessageHandler
    {
        internal HttpRequestMessage? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private static (HttpClient Client, Recorder Inner) Client()
    {
        var inner = new Recorder();
        var baseAddress = new Uri("https://app.example/shop/");
        return (new HttpClient(new CognitoApiHandler(baseAddress) { InnerHandler = inner }) { BaseAddress = baseAddress }, inner);
    }

    [Theory]
    [InlineData("api/me")]
    [InlineData("/api/me")]
    [InlineData("https://APP.example/other")]
    public async Task A_request_to_this_site_is_sent_with_the_header(string url)
    {
        var (client, inner) = Client();
        using (client)
        {
            using var response = await client.PostAsync(url, null);
            Assert.Equal("XMLHttpRequest", inner.Last!.Headers.GetValues("X-Requested-With").Single());
        }
    }

    [Theory]
    [InlineData("https://evil.example/api")]
    [InlineData("http://app.example/api")]
    [InlineData("https://app.example:8443/api")]
    [InlineData("//evil.example/api")]
    public async Task A_request_to_another_origin_is_refused_before_it_leaves(string url)
    {
        var (client, inner) = Client();
        using (client)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync(url));
            Assert.StartsWith("The Cognito API client calls this site's APIs only (https://app.example/); use another HttpClient for ", e.Message, StringComparison.Ordinal);
            Assert.Null(inner.Last);
        }
    }
}
