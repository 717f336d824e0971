using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Cognito.AspNet.Development;

namespace Cognito.Conformance.AspNet;

/// <summary><c>cognito.refreshes</c> by outcome and the <c>cognito.refresh</c> activity, from real refreshes on Kestrel.</summary>
[Collection(nameof(ProcessWideListeners))]
public sealed class RefreshTelemetryTests
{
    private const string Prefix = $"CognitoIdentityServiceProvider.{DevelopmentUserPool.ClientId}";

    [Fact]
    public async Task Refreshes_count_by_outcome_refreshed_then_retry_then_session_ended_and_trace_as_client_activities()
    {
        var outcomes = new List<string?>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CognitoTelemetry.Name && instrument.Name == "cognito.refreshes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (outcomes)
            {
                foreach (var tag in tags)
                {
                    outcomes.Add(tag.Value?.ToString());
                }
            }
        });
        meters.Start();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CognitoTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await DemoServer.StartAsync();
        using var browser = server.NewClient();
        await browser.SignInAsync("jane.doe");

        server.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal("jane.doe", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        server.Pool.Revoke(browser.Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.jane.doe.refreshToken"]!.Value);
        server.Clock.Now += TimeSpan.FromHours(2);
        var retry = await browser.GetAsync("/", follow: false);
        var ended = await browser.GetAsync("/", follow: false);

        Assert.Equal(HttpStatusCode.Found, retry.StatusCode);
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await ended.Content.ReadAsStringAsync()));
        lock (outcomes)
        {
            Assert.Equal(["refreshed", "retry", "session-ended"], outcomes);
        }

        lock (activities)
        {
            var refreshes = activities.Where(a => a.OperationName == "cognito.refresh").ToList();
            Assert.Equal(3, refreshes.Count);
            Assert.Equal(["refreshed", "retry", "session-ended"], refreshes.Select(a => a.GetTagItem("cognito.outcome")));
            Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Error, ActivityStatusCode.Error], refreshes.Select(a => a.Status));
        }
    }
}
