using System.Globalization;
using FsCheck.Xunit;

namespace Cognito.Properties;

/// <summary>
/// A property that runs 1,000 random cases by default. Two environment variables change that for
/// runs that execute the properties thousands of times (Stryker runs every covering test per mutant,
/// see mutate.sh): <c>COGNITO_PROPERTY_TESTS</c> sets the number of cases and
/// <c>COGNITO_PROPERTY_REPLAY</c> (FsCheck's "seed,gamma") fixes the inputs, so every mutant meets
/// the same cases and the mutation score does not move between runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpecPropertyAttribute : PropertyAttribute
{
    public const int DefaultTests = 1000;

    public SpecPropertyAttribute()
    {
        MaxTest = Tests(Environment.GetEnvironmentVariable("COGNITO_PROPERTY_TESTS"));
        var replay = Environment.GetEnvironmentVariable("COGNITO_PROPERTY_REPLAY");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            Replay = replay;
        }
    }

    private static int Tests(string? text) =>
        text is null ? DefaultTests
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new InvalidOperationException($"COGNITO_PROPERTY_TESTS must be a positive whole number, not '{text}'.");
}
