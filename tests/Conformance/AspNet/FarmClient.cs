using System.Net;
using System.Text.RegularExpressions;
using Cognito.AspNet.Development;
using Microsoft.AspNetCore.WebUtilities;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// A plain HTTP client (cookie jar, redirects followed by hand) that talks to the farm's proxy and notes
/// which instance answered each request.
/// </summary>
internal sealed partial class FarmClient : IDisposable
{
    private readonly HttpClient _http;

    public FarmClient(Uri proxy) =>
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true }) { BaseAddress = proxy };

    /// <summary>The instance of every answer, in order.</summary>
    public List<string> Instances { get; } = [];

    public CookieContainer Cookies { get; } = new();

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null, string accept = "text/html")
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("Accept", accept);
        var response = await _http.SendAsync(request);
        Instances.Add(response.Headers.TryGetValues(Farm.Farm.InstanceHeader, out var names) ? names.Single() : "(proxy)");
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string url, string accept = "text/html") => SendAsync(HttpMethod.Get, url, accept: accept);

    public async Task<string> PageAsync(string url)
    {
        var response = await GetAsync(url);
        for (var i = 0; i < 5 && response.StatusCode == HttpStatusCode.Found; i++)
        {
            response = await GetAsync(response.Headers.Location!.ToString());
        }

        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// The sign-in walk through the proxy: login, the pool's form, its answer, the callback — the
    /// callback placed on another instance than the login (one extra request when the round would bring
    /// it back), since that is the step that needs the shared key ring. Returns the callback's answer.
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(string username, string groups, int instances)
    {
        var login = await GetAsync("/auth/login?returnUrl=/");
        var loginInstance = Instances[^1];
        var authorize = login.Headers.Location!;
        var form = await GetAsync(authorize.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var fields = QueryHelpers.ParseQuery(authorize.Query).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).ToList();
        fields.Add(KeyValuePair.Create("username", username));
        fields.Add(KeyValuePair.Create("groups", groups));
        var submitted = await SendAsync(HttpMethod.Post, $"{DevelopmentUserPool.PathBase}/oauth2/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        if (instances > 1 && (Instances.Count - Instances.IndexOf(loginInstance)) % instances == 0)
        {
            await GetAsync("/health", "text/plain");
        }

        var callback = await GetAsync(submitted.Headers.Location!.PathAndQuery);
        Assert.NotEqual(loginInstance, Instances[^1]);
        return callback;
    }

    public static string Welcome(string html) => WelcomeLine().Match(html).Groups[1].Value;

    [GeneratedRegex("<h1 id=\"welcome\">Welcome ([^<]*)</h1>")]
    private static partial Regex WelcomeLine();

    public void Dispose() => _http.Dispose();
}
