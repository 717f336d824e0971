namespace Cognito.Farm;

/// <summary>How the farm is laid out.</summary>
public sealed class FarmOptions
{
    /// <summary>The proxy's address (<c>--urls</c>); default http://127.0.0.1:5090.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5090";

    /// <summary>How many instances of the demo (<c>--instances</c>); default 3.</summary>
    public int Instances { get; set; } = 3;

    /// <summary>Keep the instances' Data Protection key ring in Redis (the point of the farm); off shows what goes wrong without it.</summary>
    public bool SharedKeyRing { get; set; } = true;

    /// <summary>Export the library's metrics and traces (meter and activity source "Cognito") to the console with OpenTelemetry (<c>--metrics</c>).</summary>
    public bool Metrics { get; set; }

    /// <summary>Tests: the clock of the instances and the development pool.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Tests: more configuration of each instance (a clock, a log capture).</summary>
    public Action<WebApplicationBuilder>? ConfigureInstance { get; set; }
}
