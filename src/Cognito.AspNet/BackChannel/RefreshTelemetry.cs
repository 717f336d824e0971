using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Cognito.AspNet;

/// <summary>
/// The adapter's instruments, on a meter and an activity source of the core's name (<see cref="CognitoTelemetry.Name"/>):
/// listeners subscribe by name, so <c>AddMeter("Cognito")</c> and <c>AddSource("Cognito")</c> see the
/// refreshes with the core's verifications. Tags hold fixed words only: never a token, a username or a sub.
/// </summary>
internal static class RefreshTelemetry
{
    private static readonly string? Version = typeof(RefreshTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private static readonly Meter Meter = new(CognitoTelemetry.Name, Version);

    /// <summary>The <c>cognito.refresh</c> activities (a client call to Cognito's token endpoint).</summary>
    internal static readonly ActivitySource Source = new(CognitoTelemetry.Name, Version);

    /// <summary><c>cognito.refreshes</c>: server-side refreshes; tag <c>cognito.outcome</c>.</summary>
    internal static readonly Counter<long> Refreshes = Meter.CreateCounter<long>("cognito.refreshes", "{refresh}", "Token refreshes, by outcome");
}
