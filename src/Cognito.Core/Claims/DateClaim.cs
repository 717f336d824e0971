using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>A NumericDate claim (RFC 7519 §2): absent, a number, or not a number.</summary>
internal readonly record struct DateClaim(JsonTokenType Type, double Seconds)
{
    /// <summary>Latest NumericDate a <see cref="DateTimeOffset"/> can hold (9999-12-31T23:59:59Z).</summary>
    private const double MaxSeconds = 253402300799;

    internal bool IsPresent => Type != JsonTokenType.None;

    /// <summary>A number between 1970 and 9999: anything else cannot be a Cognito time.</summary>
    internal bool IsValid => Type == JsonTokenType.Number && Seconds is >= 0 and <= MaxSeconds;

    internal DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(Seconds));
}
