using System.Net;
using System.Text.RegularExpressions;
using Cognito.AspNet;
using Cognito.AspNet.Development;
using Cognito.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// The demo app on real Kestrel at 127.0.0.1 with the development user pool, a pinned clock and a log
/// capture; and a browser-like client (real HttpClient, cookie container, redirects followed by hand).
/// </summary>
internal sealed partial class DemoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoServer(WebApplication app, FixedClock clock, LogCapture logs, PoolProbe probe)
    {
        _app = app;
        Clock = clock;
        Logs = logs;
        Probe = probe;
        Pool = app.Services.GetService<DevelopmentUserPool>()!; // null on a real pool (StartOnPoolAsync), where no test reads it
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public FixedClock Clock { get; }

    public LogCapture Logs { get; }

    public DevelopmentUserPool Pool { get; }

    /// <summary>The calls that reached the development pool, and its injected faults.</summary>
    public PoolProbe Probe { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DemoServer> StartAsync(Action<CognitoCookiesOptions>? cognito = null, string environment = "Development", Action<WebApplicationBuilder>? customize = null, bool developmentPool = true, Action<CognitoBearerOptions>? bearer = null)
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        var logs = new LogCapture();
        var probe = new PoolProbe();
        var app = DemoApp.Build(
            ["--environment", environment, "--urls", "http://127.0.0.1:0"],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Logging.AddFilter("Cognito.AspNet", LogLevel.Debug); // the demo itself logs Cognito.AspNet at Information
                builder.Logging.AddProvider(logs);
                probe.AddTo(builder.Services);
                if (bearer is not null)
                {
                    builder.Services.Configure(CognitoCookiesDefaults.BearerScheme, bearer);
                }

                customize?.Invoke(builder);
            },
            cognito,
            developmentPool);
        await app.StartAsync();
        return new DemoServer(app, clock, logs, probe);
    }

    /// <summary>The demo on a real (not the development) pool in the Production environment, its clock at <see cref="TestPool.Now"/>.</summary>
    public static async Task<DemoServer> StartOnPoolAsync(TestPool pool, Action<CognitoCookiesOptions> configure, Action<CognitoBearerOptions>? bearer = null)
    {
        var server = await StartAsync(
            options =>
            {
                options.Region = pool.Region;
                options.UserPoolId = pool.UserPoolId;
                options.ClientId = pool.ClientId;
                options.Domain = "myapp.auth.eu-west-1.amazoncognito.com";
                options.Keys = pool.KeySet();
                configure(options);
            },
            environment: "Production",
            developmentPool: false,
            bearer: bearer);
        server.Clock.Now = TestPool.Now;
        return server;
    }

    public Client NewClient(IPAddress? from = null) => new(this, from);

    /// <summary>
    /// A handler whose connections come from <paramref name="from"/> (any 127.x.y.z is this machine's
    /// loopback on Linux): several clients, each with an address of its own, for per-client budgets.
    /// </summary>
    public static SocketsHttpHandler Handler(IPAddress? from, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellation) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    /// <summary>
    /// A request with exactly this Cookie header and these other headers, as an attacker or an API
    /// client crafts it: no cookie jar, no redirect followed.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? cookie, params (string Name, string Value)[] headers) =>
        SendAsync(null, method, path, cookie, headers);

    /// <summary>As <see cref="SendAsync(HttpMethod, string, string?, ValueTuple{string, string}[])"/>, from the client address <paramref name="from"/>; <paramref name="path"/> is taken as it is (<c>//host/x</c> stays a path).</summary>
    public async Task<HttpResponseMessage> SendAsync(IPAddress? from, HttpMethod method, string path, string? cookie, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient(Handler(from));
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress.GetLeftPart(UriPartial.Authority) + path));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A browser without JavaScript: one cookie jar, redirects followed by hand so each hop can be checked.</summary>
    internal sealed partial class Client : IDisposable
    {
        private readonly DemoServer _server;

        internal Client(DemoServer server, IPAddress? from = null)
        {
            _server = server;
            Cookies = new CookieContainer();
            Http = new HttpClient(Handler(from, Cookies)) { BaseAddress = server.BaseAddress };
        }

        public HttpClient Http { get; }

        public CookieContainer Cookies { get; }

        public List<HttpResponseMessage> Hops { get; } = [];

        public async Task<HttpResponseMessage> GetAsync(string url, bool follow = true) => await Follow(await Http.GetAsync(url), follow);

        public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> form, bool follow = true) =>
            await Follow(await Http.PostAsync(url, new FormUrlEncodedContent(form)), follow);

        public async Task<HttpResponseMessage> Follow(HttpResponseMessage response, bool follow = true)
        {
            Hops.Add(response);
            for (var i = 0; follow && i < 10 && (int)response.StatusCode is >= 300 and < 400; i++)
            {
                response = await Http.GetAsync(new Uri(_server.BaseAddress, response.Headers.Location!));
                Hops.Add(response);
            }

            return response;
        }

        /// <summary>Sign in through the development pool's form; returns the callback's response (not followed).</summary>
        public async Task<HttpResponseMessage> SignInAsync(string username, string groups = "", string returnUrl = "/")
        {
            var login = await GetAsync($"/auth/login?returnUrl={Uri.EscapeDataString(returnUrl)}", follow: false);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var authorize = new Uri(_server.BaseAddress, login.Headers.Location!);
            var form = await GetAsync(authorize.PathAndQuery, follow: false);
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.Contains("name=\"username\"", await form.Content.ReadAsStringAsync());
            var fields = QueryHelpers.ParseQuery(authorize.Query).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).ToList();
            fields.Add(KeyValuePair.Create("username", username));
            fields.Add(KeyValuePair.Create("groups", groups));
            var submitted = await PostAsync($"{DevelopmentUserPool.PathBase}/oauth2/authorize", fields, follow: false);
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            return await GetAsync(submitted.Headers.Location!.ToString(), follow: false);
        }

        public async Task<string> PageAsync(string url) => await (await GetAsync(url)).Content.ReadAsStringAsync();

        public static string Welcome(string html) => WelcomeLine().Match(html).Groups[1].Value;

        [GeneratedRegex("<h1 id=\"welcome\">Welcome ([^<]*)</h1>")]
        private static partial Regex WelcomeLine();

        public void Dispose() => Http.Dispose();
    }
}

/// <summary>Every log line of the app, to check event ids and that no token is ever written.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public List<(string Category, LogLevel Level, EventId Event, string Message)> Lines { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (capture.Lines)
            {
                capture.Lines.Add((category, logLevel, eventId, formatter(state, exception) + (exception is null ? "" : " " + exception)));
            }
        }
    }
}
