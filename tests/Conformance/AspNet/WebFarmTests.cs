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
    public async Task In_browser_Amplify_mode_a_token_cookie_too_large_for_a_browser_is_a_warning_with_its_size_and_the_remedy_never_silence()
    {
        // Amplify must read its cookies whole, so they cannot be chunked: the log says what will happen and what to do.
        await using var server = await DemoServer.StartAsync(o => o.BrowserAmplify = true);
        using var browser = server.NewClient();
        var groups = string.Join(",", Enumerable.Range(1, 100).Select(i => $"a-group-with-a-rather-long-name-{i:000}"));

        var callback = await browser.SignInAsync("jane.doe", groups);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var idCookie = callback.Headers.GetValues("Set-Cookie").Single(c => c.Contains(".idToken=", StringComparison.Ordinal));
        Assert.True(idCookie.Length > 4096, $"the id token cookie is {idCookie.Length} bytes");
        var warning = Assert.Single(server.Logs.Lines, l => l.Event.Name == "CookieTooLarge");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"idToken cookie is {idCookie.Length} bytes, over the 4096 bytes", warning.Message);
        Assert.Contains("fewer groups", warning.Message);
        Assert.DoesNotContain("jane.doe", warning.Message);
    }

    [Fact]
    public async Task In_server_written_mode_a_6_KB_id_token_goes_in_chunks_each_within_the_browser_limit_and_the_session_reads_back()
    {
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        var groups = string.Join(",", Enumerable.Range(1, 100).Select(i => $"a-group-with-a-rather-long-name-{i:000}"));

        var callback = await browser.SignInAsync("jane.doe", groups);

        var cookies = callback.Headers.GetValues("Set-Cookie").ToList();
        Assert.All(cookies, c => Assert.True(c.Length <= 4096, $"a Set-Cookie of {c.Length} bytes"));
        var marker = Assert.Single(cookies, c => c.Contains(".idToken=", StringComparison.Ordinal));
        Assert.Matches(@"\.idToken=chunks-[2-9];", marker);
        Assert.Contains(cookies, c => c.Contains(".idTokenC1=eyJ", StringComparison.Ordinal));
        Assert.All(cookies.Where(c => c.Contains(".idTokenC", StringComparison.Ordinal)), c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Event.Name == "CookieTooLarge");
        var page = await browser.PageAsync("/");
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(page));
        Assert.Contains("a-group-with-a-rather-long-name-100", page);

        // Signing out expires every part too.
        var logout = await browser.PostAsync("/auth/logout", [], follow: false);
        var expired = logout.Headers.GetValues("Set-Cookie").Where(c => c.Contains("=;", StringComparison.Ordinal)).ToList();
        Assert.Contains(expired, c => c.Contains(".idTokenC1=;", StringComparison.Ordinal));
        Assert.Contains(expired, c => c.Contains(".idTokenC2=;", StringComparison.Ordinal));
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

/// <summary>
/// The farm sample (samples/Farm): instances of the demo behind a round-robin, non-sticky YARP proxy,
/// their Data Protection key ring in a real Redis; every request goes to the next instance.
/// </summary>
public sealed class FarmWalkTests
{
    private const string Prefix = $"CognitoIdentityServiceProvider.{Cognito.AspNet.Development.DevelopmentUserPool.ClientId}";

    private static Task<Farm.Farm> StartFarmAsync(int instances = 3, bool shared = true, TimeProvider? clock = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null, PoolProbe? probe = null) =>
        Farm.Farm.StartAsync(new Farm.FarmOptions
        {
            Urls = "http://127.0.0.1:0", Instances = instances, SharedKeyRing = shared, Clock = clock,
            ConfigureInstance = builder =>
            {
                probe?.AddTo(builder.Services); // one probe watches every instance: each serves the shared pool to itself
                configure?.Invoke(builder);
            },
        });

    [Fact]
    public async Task A_plain_client_signs_in_opens_admin_is_refused_as_a_reader_and_signs_out_with_every_request_on_the_next_instance()
    {
        var probe = new PoolProbe();
        await using var farm = await StartFarmAsync(probe: probe);
        using var admin = new FarmClient(farm.ProxyAddress);

        var callback = await admin.SignInAsync("jane.doe", "admin", farm.Instances.Count);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var pages = new List<string>();
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal("jane.doe", FarmClient.Welcome(await admin.PageAsync("/")));
            Assert.Contains("Admin area", await admin.PageAsync("/admin"));
            var me = await admin.GetAsync("/api/me", "application/json");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Contains("\"username\":\"jane.doe\"", await me.Content.ReadAsStringAsync());
        }

        // Every instance served the session, and no two requests in a row went to the same one.
        Assert.Equal(farm.Instances.Select(i => i.Name).Order(), admin.Instances.Distinct().Order());
        Assert.All(admin.Instances.Zip(admin.Instances.Skip(1)), pair => Assert.NotEqual(pair.Item1, pair.Item2));

        using var reader = new FarmClient(farm.ProxyAddress);
        await reader.SignInAsync("bob", "", farm.Instances.Count);
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/admin")).StatusCode);
        }

        var logout = await admin.SendAsync(HttpMethod.Post, "/auth/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(1, probe.RevokeRequests);
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal("anonymous", FarmClient.Welcome(await admin.PageAsync("/")));
            Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/me", "application/json")).StatusCode);
        }
    }

    [Fact]
    public async Task Without_a_shared_key_ring_the_callback_on_another_instance_fails_with_the_message_that_names_the_fix_never_a_500()
    {
        await using var farm = await StartFarmAsync(instances: 2, shared: false);
        using var browser = new FarmClient(farm.ProxyAddress);

        var callback = await browser.SignInAsync("jane.doe", "", farm.Instances.Count);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        var page = await callback.Content.ReadAsStringAsync();
        Assert.Contains("the sign-in state could not be read", page);
        Assert.Contains("shared Data Protection key ring", page);
        Assert.DoesNotContain("   at ", page);
    }

    [Fact]
    public async Task A_refresh_on_one_instance_while_the_others_still_see_the_old_cookies_keeps_the_user_signed_in_everywhere()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        var probe = new PoolProbe();
        await using var farm = await StartFarmAsync(clock: clock, probe: probe);
        farm.Pool.RotateRefreshTokens = true;
        farm.Pool.RefreshTokenGracePeriod = TimeSpan.FromSeconds(30);
        using var browser = new FarmClient(farm.ProxyAddress);
        await browser.SignInAsync("jane.doe", "", farm.Instances.Count);
        var oldCookies = browser.Cookies.GetCookieHeader(farm.ProxyAddress);
        clock.Now += TimeSpan.FromHours(2);

        // One instance refreshes for the browser (its jar takes the new cookies) ...
        Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));
        // ... while a request sent before that answer arrived reaches the next instance with the old ones.
        using var late = new HttpClient { BaseAddress = farm.ProxyAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", oldCookies);
        var lateAnswer = await late.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, lateAnswer.StatusCode);

        // The third instance sees the refreshed cookies: no refresh needed there.
        var refreshes = probe.RefreshRequests;
        Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));
        Assert.Equal(refreshes, probe.RefreshRequests);
        Assert.Equal(2, refreshes);
    }

    [Fact]
    public async Task A_user_whose_id_token_is_6_KB_signs_in_through_the_farm_and_every_instance_reads_the_chunked_cookies()
    {
        await using var farm = await StartFarmAsync();
        using var browser = new FarmClient(farm.ProxyAddress);
        var groups = string.Join(",", Enumerable.Range(1, 100).Select(i => $"a-group-with-a-rather-long-name-{i:000}"));

        var callback = await browser.SignInAsync("jane.doe", groups, farm.Instances.Count);

        Assert.Contains(callback.Headers.GetValues("Set-Cookie"), c => c.Contains(".idToken=chunks-", StringComparison.Ordinal));
        var idTokenLength = browser.Cookies.GetAllCookies().Where(c => c.Name.Contains(".idTokenC", StringComparison.Ordinal)).Sum(c => c.Value.Length);
        Assert.InRange(idTokenLength, 6_000, 16_000);
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));
        }

        Assert.Equal(farm.Instances.Count, browser.Instances.TakeLast(farm.Instances.Count).Distinct().Count());
    }

    [Fact]
    public async Task With_metrics_asked_for_every_instance_exports_the_Cognito_meter_and_source_with_OpenTelemetry()
    {
        await using var farm = await Farm.Farm.StartAsync(new Farm.FarmOptions { Urls = "http://127.0.0.1:0", Instances = 2, Metrics = true });
        using var browser = new FarmClient(farm.ProxyAddress);
        await browser.SignInAsync("jane.doe", "", farm.Instances.Count);

        Assert.All(farm.Instances, instance =>
        {
            Assert.NotNull(instance.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
            Assert.NotNull(instance.App.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        });
        Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));
    }

    [Fact]
    public async Task When_an_instance_dies_mid_walk_the_next_one_serves_the_same_session_with_no_new_sign_in()
    {
        await using var farm = await StartFarmAsync();
        using var browser = new FarmClient(farm.ProxyAddress);
        await browser.SignInAsync("jane.doe", "", farm.Instances.Count);
        Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));

        await farm.StopInstanceAsync(1);
        // The proxy's active health check (every second) takes the dead instance out of the round.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (farm.ProxyState.TryGetCluster("instances", out var cluster)
               && cluster.Destinations[farm.Instances[1].Name].Health.Active != Yarp.ReverseProxy.Model.DestinationHealth.Unhealthy)
        {
            Assert.True(DateTime.UtcNow < deadline, "the proxy did not notice the stopped instance within 15 s");
            await Task.Delay(100);
        }

        var before = browser.Instances.Count;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("jane.doe", FarmClient.Welcome(await browser.PageAsync("/")));
        }

        Assert.DoesNotContain(farm.Instances[1].Name, browser.Instances.Skip(before));
        Assert.Equal(2, browser.Instances.Skip(before).Distinct().Count());
    }

    [Fact]
    public async Task A_sign_out_on_one_instance_holds_on_every_instance_within_the_check_interval()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        var probe = new PoolProbe();
        await using var farm = await StartFarmAsync(clock: clock, probe: probe);
        using var browser = new FarmClient(farm.ProxyAddress);
        await browser.SignInAsync("jane.doe", "", farm.Instances.Count);
        var copied = browser.Cookies.GetCookieHeader(farm.ProxyAddress);
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendTo(farm.Instances[i].Address, copied)).StatusCode); // every instance knows the session as active
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(HttpMethod.Post, "/auth/logout", new FormUrlEncodedContent([]))).StatusCode);

        // Past the check interval (5 s), every instance has asked the shared store again: the copies are refused everywhere.
        clock.Now += TimeSpan.FromSeconds(6);
        for (var i = 0; i < farm.Instances.Count; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendTo(farm.Instances[i].Address, copied)).StatusCode);
        }

        Assert.Equal(1, probe.RevokeRequests);
    }

    private static async Task<HttpResponseMessage> SendTo(Uri instance, string cookies)
    {
        using var http = new HttpClient { BaseAddress = instance };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookies);
        request.Headers.Add("Accept", "application/json");
        return await http.SendAsync(request);
    }
}

/// <summary>
/// The farm as a terminal runs it (<c>dotnet run --project samples/Farm</c>): its own process in its own
/// process group, stopped by Ctrl-C (SIGINT to the whole group, Redis included) or SIGTERM (to the
/// process alone): the proxy, the instances and Redis are gone within 10 s.
/// </summary>
public sealed class FarmSignalTests
{
    [Theory]
    [InlineData("INT", true)]
    [InlineData("TERM", false)]
    [InlineData("QUIT", false)]
    public async Task The_farm_stops_proxy_instances_and_Redis_within_10_s_on_a_signal(string signal, bool toProcessGroup)
    {
        var farmDll = Path.Combine(AppContext.BaseDirectory, "Cognito.Farm.dll");
        // A terminal's foreground job: SIGINT and SIGQUIT at their default. A shell's background job (a CI
        // script's `dotnet test … &`) ignores both, and ignored signals are inherited — the farm would never
        // see them, as POSIX wants. Perl (perl-base, in every Debian) puts them back before the farm starts.
        var start = new System.Diagnostics.ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "perl", "-e", "$SIG{INT} = $SIG{QUIT} = 'DEFAULT'; exec @ARGV or die", "dotnet", farmDll, "--urls", "http://127.0.0.1:0", "--instances", "2" })
        {
            start.ArgumentList.Add(argument);
        }

        using var farm = System.Diagnostics.Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        farm.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        farm.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        farm.BeginOutputReadLine();
        farm.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!output.Any(l => l.Contains("Ctrl-C stops everything", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline && !farm.HasExited, "the farm did not start within 60 s: " + string.Join("\n", output));
                await Task.Delay(100);
            }

            var ports = output.SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, @"127\.0\.0\.1:(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).Distinct().ToList();
            Assert.Equal(4, ports.Count); // the proxy, two instances, Redis
            Assert.All(ports, port => Assert.True(Listening(port), $"nothing listens on {port}"));

            var sent = DateTime.UtcNow;
            using (var kill = System.Diagnostics.Process.Start("bash", ["-c", $"kill -{signal} -- {(toProcessGroup ? "-" : "")}{farm.Id}"]))
            {
                await kill.WaitForExitAsync();
            }

            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await farm.WaitForExitAsync(within.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the farm still runs 10 s after SIG{signal}:\n" + string.Join("\n", output));
            }

            var took = DateTime.UtcNow - sent;
            Assert.All(ports, port => Assert.False(Listening(port), $"{port} still listens after the farm stopped"));
            Assert.True(took < TimeSpan.FromSeconds(10), $"stopping took {took.TotalSeconds:0.0} s");
            Assert.Equal(0, farm.ExitCode);
            Assert.Contains(output, l => l.Contains("Farm stopped", StringComparison.Ordinal));
        }
        finally
        {
            if (!farm.HasExited)
            {
                using var kill = System.Diagnostics.Process.Start("bash", ["-c", $"kill -KILL -- -{farm.Id}"]);
                await kill.WaitForExitAsync();
            }
        }
    }

    private static bool Listening(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
