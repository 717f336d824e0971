using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;

namespace Cognito.Conformance;

/// <summary>Telemetry tests listen to process-wide instruments: they run alone, not beside other tests.</summary>
[CollectionDefinition(nameof(ProcessWideListeners), DisableParallelization = true)]
public sealed class ProcessWideListeners;

/// <summary>
/// The meter and activity source named "Cognito": what each instrument counts, with which tags, and
/// that no tag ever holds a token, a username or a sub (tested with <see cref="MeterListener"/> and
/// <see cref="ActivityListener"/>).
/// </summary>
[Collection(nameof(ProcessWideListeners))]
public sealed class TelemetryTests : IDisposable
{
    private static readonly TestPool Pool = TestPool.Default;
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = [];

    public TelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CognitoTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }

    private List<(string Instrument, double Value, Dictionary<string, string?> Tags)> Of(string instrument)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument).ToList();
        }
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void The_meter_and_the_activity_source_are_named_after_the_library()
    {
        Assert.Equal("Cognito", CognitoTelemetry.Name);
        Assert.Equal("Cognito", CognitoTelemetry.Meter.Name);
        Assert.Equal("Cognito", CognitoTelemetry.Source.Name);
    }

    [Fact]
    public void A_verified_session_counts_once_with_its_kind_and_its_duration_and_a_repeat_is_a_cache_hit()
    {
        var auth = Pool.Auth();
        var header = Pool.CookieHeader();

        Verdict.Accepted(auth.FromCookieHeader(header));
        Verdict.Accepted(auth.FromCookieHeader(header));

        var verified = Of("cognito.sessions.verified");
        Assert.Equal(2, verified.Count);
        Assert.All(verified, m => Assert.Equal("session", m.Tags["cognito.token"]));
        Assert.Empty(Of("cognito.sessions.refused"));
        var durations = Of("cognito.verification.duration");
        Assert.Equal(2, durations.Count);
        Assert.All(durations, m => Assert.Equal("verified", m.Tags["cognito.result"]));
        Assert.All(durations, m => Assert.InRange(m.Value, 0, 5));
        Assert.Equal("session", Assert.Single(Of("cognito.cache.misses")).Tags["cognito.cache"]);
        Assert.Equal("session", Assert.Single(Of("cognito.cache.hits")).Tags["cognito.cache"]);
    }

    [Fact]
    public void A_refusal_counts_with_its_error_code_and_nothing_of_the_token()
    {
        var auth = Pool.Auth();
        var expired = Pool.IdClaims();
        expired["exp"] = TestPool.Now.AddHours(-2).ToUnixTimeSeconds();
        var header = AmplifyCookies.Header(Pool.ClientId, "jane.doe", Pool.Sign(expired), Pool.AccessToken());

        Verdict.Refused(auth.FromCookieHeader(header), "expired");
        Verdict.Refused(auth.FromCookieHeader("theme=dark"), "no-session");

        var refused = Of("cognito.sessions.refused");
        Assert.Equal(["expired", "no-session"], refused.Select(m => m.Tags["cognito.code"]));
        Assert.Equal("refused", Of("cognito.verification.duration")[0].Tags["cognito.result"]);
        var everyTag = _measurements.SelectMany(m => m.Tags.Values).ToList();
        Assert.DoesNotContain(everyTag, v => v!.Contains("jane.doe", StringComparison.Ordinal) || v.Contains("eyJ", StringComparison.Ordinal) || v.Contains("5f0c1d2e", StringComparison.Ordinal));
    }

    [Fact]
    public void Single_tokens_count_as_their_kind_and_use_the_token_cache()
    {
        var auth = Pool.Auth();

        Verdict.Accepted(auth.VerifyAccessToken(Pool.AccessToken()));
        Verdict.Accepted(auth.VerifyAccessToken(Pool.AccessToken()));
        Verdict.Refused(auth.VerifyIdToken(Pool.AccessToken()), "wrong-token-use");
        Verdict.Accepted(auth.FromTokens(Pool.IdToken(), Pool.AccessToken()));

        Assert.Equal(["access", "access", "session"], Of("cognito.sessions.verified").Select(m => m.Tags["cognito.token"]));
        var refused = Assert.Single(Of("cognito.sessions.refused"));
        Assert.Equal(("id", "wrong-token-use"), (refused.Tags["cognito.token"], refused.Tags["cognito.code"]));
        // The second access token is a hit; the id-token question about the same text is a miss (a hit counts only as the kind asked for).
        Assert.Equal("token", Assert.Single(Of("cognito.cache.hits")).Tags["cognito.cache"]);
        Assert.Equal(["token", "token", "session"], Of("cognito.cache.misses").Select(m => m.Tags["cognito.cache"]));
    }

    [Fact]
    public async Task The_async_paths_count_each_answer_once()
    {
        var auth = Pool.Auth();

        Verdict.Accepted(await auth.FromCookieHeaderAsync(Pool.CookieHeader()));
        Verdict.Accepted(await auth.FromTokensAsync(Pool.IdToken(), Pool.AccessToken()));
        Verdict.Accepted(await auth.VerifyAccessTokenAsync(Pool.AccessToken()));

        Assert.Equal(["session", "session", "access"], Of("cognito.sessions.verified").Select(m => m.Tags["cognito.token"]));
        Assert.Equal(3, Of("cognito.verification.duration").Count);
    }

    [Fact]
    public async Task Key_fetches_count_by_outcome_and_trace_as_client_activities()
    {
        await using var server = await JwksServer.StartAsync();
        server.Keys[Pool.Kid] = Pool.Key;
        var activities = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CognitoTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(activityListener);
        using var http = new HttpClient();
        var clock = new FixedClock(TestPool.Now);
        var live = new LiveKeySet(new KeySet([]), [new(Pool.Pool, server.JwksUri(Pool.UserPoolId))], http, new LiveKeySetOptions { MinimumInterval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(5) }, clock);

        Assert.True(await live.RefreshAsync(Pool.Pool));
        clock.Now += TimeSpan.FromSeconds(11);
        Assert.False(await live.RefreshAsync(Pool.Pool));
        clock.Now += TimeSpan.FromSeconds(11);
        server.Override = context => { context.Response.StatusCode = 503; return Task.CompletedTask; };
        Assert.False(await live.RefreshAsync(Pool.Pool));

        Assert.Equal(["new-keys", "no-new-keys", "failed"], Of("cognito.keys.fetches").Select(m => m.Tags["cognito.outcome"]));
        lock (activities)
        {
            Assert.Equal(3, activities.Count(a => a.OperationName == "cognito.keys.fetch"));
            Assert.All(activities, a => Assert.Equal(ActivityKind.Client, a.Kind));
            Assert.Equal(ActivityStatusCode.Error, activities.Last().Status);
            Assert.All(activities, a => Assert.Equal(Pool.UserPoolId, a.GetTagItem("cognito.pool")));
            Assert.Equal(["new-keys", "no-new-keys", "failed"], activities.Select(a => a.GetTagItem("cognito.outcome")));
        }
    }

    [Fact]
    public void Every_instrument_has_its_unit_and_description_and_the_duration_its_buckets()
    {
        var instruments = new Dictionary<string, Instrument>();
        _ = Cognito.AspNet.RefreshTelemetry.Refreshes; // the adapter's instrument, on a meter of the same name
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == CognitoTelemetry.Name)
                {
                    instruments[instrument.Name] = instrument;
                }
            },
        };
        listener.Start();

        Assert.Equal(
            new Dictionary<string, (string?, string?)>
            {
                ["cognito.sessions.verified"] = ("{session}", "Sessions (and single tokens) verified"),
                ["cognito.sessions.refused"] = ("{session}", "Sessions (and single tokens) refused, by error code"),
                ["cognito.verification.duration"] = ("s", "Time to verify a session or token"),
                ["cognito.cache.hits"] = ("{lookup}", "Verified-cache hits"),
                ["cognito.cache.misses"] = ("{lookup}", "Verified-cache misses"),
                ["cognito.keys.fetches"] = ("{fetch}", "JWKS fetches, by outcome"),
                ["cognito.refreshes"] = ("{refresh}", "Token refreshes, by outcome"),
            },
            instruments.ToDictionary(i => i.Key, i => (i.Value.Unit, i.Value.Description)));
        var buckets = CognitoTelemetry.Duration.Advice!.HistogramBucketBoundaries!;
        Assert.Equal(0.0000005, buckets[0]);
        Assert.Equal(1, buckets[^1]);
        Assert.Equal(15, buckets.Count);
    }

    [Fact]
    public void A_listener_of_the_duration_alone_gets_durations_and_one_of_refusals_alone_gets_refusals()
    {
        _listener.Dispose();
        var seen = new List<string>();
        void Listen(string only, Action verify)
        {
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == CognitoTelemetry.Name && instrument.Name == only)
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => seen.Add(instrument.Name));
            listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => seen.Add(instrument.Name));
            listener.Start();
            verify();
        }

        var auth = Pool.Auth();
        Listen("cognito.verification.duration", () => Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader())));
        Listen("cognito.sessions.refused", () => Verdict.Refused(auth.FromCookieHeader("theme=dark"), "no-session"));
        Listen("cognito.sessions.verified", () => Verdict.Accepted(auth.VerifyAccessToken(Pool.AccessToken())));

        Assert.Equal(["cognito.verification.duration", "cognito.sessions.refused", "cognito.sessions.verified"], seen);
    }

    [Fact]
    public void Nothing_is_measured_when_no_one_listens()
    {
        _listener.Dispose();
        var auth = Pool.Auth();
        Verdict.Accepted(auth.FromCookieHeader(Pool.CookieHeader()));

        Assert.False(CognitoTelemetry.Verified.Enabled);
        Assert.False(CognitoTelemetry.Duration.Enabled);
        Assert.Equal(0, CognitoTelemetry.Start());
        Assert.Empty(_measurements);
    }
}
