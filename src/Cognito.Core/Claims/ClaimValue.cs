using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>Where one claim's value sits in the decoded payload, and its JSON type.</summary>
internal readonly record struct ClaimValue(JsonTokenType Type, int Start, int Length, bool Escaped)
{
    internal bool IsPresent => Type != JsonTokenType.None;

    internal bool IsString => Type == JsonTokenType.String;

    /// <summary>The value as a .NET string (strings only).</summary>
    internal string ToString(ReadOnlySpan<byte> payload)
    {
        // Stryker disable once Block : equivalent, the reader gives the same text for a string without escapes
        if (!Escaped)
        {
            return Encoding.UTF8.GetString(payload.Slice(Start, Length));
        }

        // Re-read the quoted string so the reader unescapes it.
        var reader = new Utf8JsonReader(payload.Slice(Start - 1, Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Whether a string value equals <paramref name="expected"/> (UTF-8), after unescaping.</summary>
    internal bool TextEquals(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> expected)
    {
        // Stryker disable once Block : equivalent, the reader gives the same text for a string without escapes
        if (!Escaped)
        {
            return payload.Slice(Start, Length).SequenceEqual(expected);
        }

        var reader = new Utf8JsonReader(payload.Slice(Start - 1, Length + 2));
        reader.Read();
        return reader.ValueTextEquals(expected);
    }
}
