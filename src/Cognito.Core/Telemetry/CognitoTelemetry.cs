using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using LanguageExt;

namespace Cognito;

/// <summary>
/// Metrics and traces the .NET way: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both
/// named <see cref="Name"/>, for OpenTelemetry (<c>AddMeter("Cognito")</c>, <c>AddSource("Cognito")</c>),
/// <c>dotnet-counters</c> or a <see cref="MeterListener"/>. Tags hold fixed words and error codes only:
/// never a token, a username or a sub. With nothing listening an instrument costs a field read.
/// </summary>
public static class CognitoTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Cognito";

    private static readonly string? Version = typeof(CognitoTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    internal static readonly Meter Meter = new(Name, Version);

    internal static readonly ActivitySource Source = new(Name, Version);

    /// <summary><c>cognito.sessions.verified</c>: sessions and single tokens accepted; tag <c>cognito.token</c> (<c>session</c>, <c>access</c>, <c>id</c>).</summary>
    internal static readonly Counter<long> Verified = Meter.CreateCounter<long>("cognito.sessions.verified", "{session}", "Sessions (and single tokens) verified");

    /// <summary><c>cognito.sessions.refused</c>: refusals; tags <c>cognito.token</c> and <c>cognito.code</c> (the error code).</summary>
    internal static readonly Counter<long> Refused = Meter.CreateCounter<long>("cognito.sessions.refused", "{session}", "Sessions (and single tokens) refused, by error code");

    /// <summary><c>cognito.verification.duration</c>: time to an answer, in seconds; tags <c>cognito.token</c> and <c>cognito.result</c> (<c>verified</c>, <c>refused</c>).</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "cognito.verification.duration",
        "s",
        "Time to verify a session or token",
        tags: null,
        // A cache hit takes well under a microsecond, an RSA verification tens of microseconds, a key fetch milliseconds.
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0000005, 0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025, 0.1, 1] });

    /// <summary><c>cognito.cache.hits</c>: answers from the verified cache; tag <c>cognito.cache</c> (<c>session</c>, <c>token</c>).</summary>
    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("cognito.cache.hits", "{lookup}", "Verified-cache hits");

    /// <summary><c>cognito.cache.misses</c>: lookups that went on to verify; tag <c>cognito.cache</c>.</summary>
    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("cognito.cache.misses", "{lookup}", "Verified-cache misses");

    /// <summary><c>cognito.keys.fetches</c>: JWKS fetches; tag <c>cognito.outcome</c> (<c>new-keys</c>, <c>no-new-keys</c>, <c>failed</c>).</summary>
    internal static readonly Counter<long> KeyFetches = Meter.CreateCounter<long>("cognito.keys.fetches", "{fetch}", "JWKS fetches, by outcome");

    internal const string SessionCache = "session";
    internal const string TokenCache = "token";
    internal const string SessionKind = "session";
    internal const string AccessKind = "access";
    internal const string IdKind = "id";

    /// <summary>A start time for <c>Observe</c>: 0 (no clock read) when no one listens to the duration.</summary>
    internal static long Start() => Duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Counts one verification's answer and, when measured, its duration; returns the answer.</summary>
    internal static Either<AuthError, T> Observe<T>(Either<AuthError, T> result, string kind, long started)
        where T : class
    {
        if (Verified.Enabled || Refused.Enabled || started != 0)
        {
            Record(result.TryGetRight(out _, out var error) ? null : error, kind, started);
        }

        return result;
    }

    private static void Record(AuthError? error, string kind, long started)
    {
        var token = new KeyValuePair<string, object?>("cognito.token", kind);
        if (error is null)
        {
            Verified.Add(1, token);
        }
        else
        {
            Refused.Add(1, token, new KeyValuePair<string, object?>("cognito.code", error.Code));
        }

        if (started != 0)
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, token, new KeyValuePair<string, object?>("cognito.result", error is null ? "verified" : "refused"));
        }
    }

    /// <summary>Counts an answer that may still be waiting for a key fetch, once, when it comes.</summary>
    internal static ValueTask<Either<AuthError, T>> Observe<T>(ValueTask<Either<AuthError, T>> pending, string kind, long started)
        where T : class =>
        // Stryker disable once Conditional : equivalent in value, a shortcut: the answer is the same through the async method, which allocates (AllocationTests asserts 0 B here; Stryker does not run them)
        pending.IsCompletedSuccessfully ? new(Observe(pending.Result, kind, started)) : ObserveLater(pending, kind, started);

    private static async ValueTask<Either<AuthError, T>> ObserveLater<T>(ValueTask<Either<AuthError, T>> pending, string kind, long started)
        where T : class =>
        Observe(await pending.ConfigureAwait(false), kind, started);

    /// <summary>One lookup of a verified cache.</summary>
    internal static void CacheLookup(bool hit, string cache) =>
        (hit ? CacheHits : CacheMisses).Add(1, new KeyValuePair<string, object?>("cognito.cache", cache));

    /// <summary>One JWKS fetch's outcome.</summary>
    internal static void KeyFetch(string outcome) =>
        KeyFetches.Add(1, new KeyValuePair<string, object?>("cognito.outcome", outcome));
}
