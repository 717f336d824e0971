using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Cognito;

/// <summary>The scalar grammar of <see cref="JsonShape"/>: strings (escapes, UTF-16 surrogates, control characters), numbers, literals, whitespace.</summary>
internal static partial class JsonShape
{
    private static bool TryScalar(ReadOnlySpan<byte> json, ref int i, out bool escaped)
    {
        // Stryker disable once Boolean : equivalent, 'escaped' only chooses unescaping, which on text without escapes is a copy; non-strings never read it
        escaped = false;
        return json[i] == (byte)'"' ? TryString(json, ref i, out escaped) : TryNonString(json, ref i);
    }

    private static bool TryNonString(ReadOnlySpan<byte> json, ref int i) => json[i] switch
    {
        (byte)'t' => TryLiteral(json, ref i, "true"u8),
        (byte)'f' => TryLiteral(json, ref i, "false"u8),
        (byte)'n' => TryLiteral(json, ref i, "null"u8),
        (byte)'-' or (>= (byte)'0' and <= (byte)'9') => TryNumber(json, ref i),
        _ => false,
    };

    private static bool TryLiteral(ReadOnlySpan<byte> json, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!json[i..].StartsWith(literal))
        {
            // Stryker disable once Boolean : equivalent, 'true' leaves i on the literal's t, f or n, which no rule of the grammar accepts next
            return false;
        }

        i += literal.Length;
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<byte> json, ref int i)
    {
        if (json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length || !IsDigit(json[i]))
        {
            return false;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            SkipDigits(json, ref i);
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (i >= json.Length || !IsDigit(json[i]))
            {
                return false;
            }

            SkipDigits(json, ref i);
        }

        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (i >= json.Length || !IsDigit(json[i]))
            {
                return false;
            }

            SkipDigits(json, ref i);
        }

        return true;
    }

    /// <summary>
    /// A string from its opening quote to after its closing quote. Plain runs are skipped with a
    /// vectorised search; escapes are checked one by one, a high surrogate escape only with a low one.
    /// </summary>
    private static bool TryString(ReadOnlySpan<byte> json, ref int i, out bool escaped)
    {
        // Stryker disable once Boolean : equivalent, 'escaped' only chooses unescaping, which on text without escapes is a copy; non-strings never read it
        escaped = false;
        i++;
        while (true)
        {
            // Most JWT strings are short: a plain loop finds their end sooner than a vectorised search
            // can start; long values (tokens in claims, custom attributes) go to the vectorised search.
            var end = Math.Min(json.Length, i + 24);
            while (i < end && !IsStringStop(json[i]))
            {
                i++;
            }

            if (i == end)
            {
                var stop = json[i..].IndexOfAny(StringStops);
                if (stop < 0)
                {
                    return false;
                }

                i += stop;
            }

            var c = json[i];
            if (c == (byte)'"')
            {
                i++;
                return true;
            }

            if (c != (byte)'\\' || i + 1 >= json.Length)
            {
                return false; // a control character, or a backslash at the very end
            }

            escaped = true;
            var escape = json[i + 1];
            if (escape != (byte)'u')
            {
                if (escape is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
                {
                    return false;
                }

                i += 2;
                continue;
            }

            if (!TryHex4(json, i + 2, out var unit) || unit is >= 0xDC00 and <= 0xDFFF)
            {
                return false;
            }

            i += 6;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 1 >= json.Length || json[i] != (byte)'\\' || json[i + 1] != (byte)'u'
                    || !TryHex4(json, i + 2, out var low) || low is < 0xDC00 or > 0xDFFF)
                {
                    return false;
                }

                i += 6;
            }
        }
    }

    private static bool IsStringStop(byte c) => c is (byte)'"' or (byte)'\\' or < 0x20;

    private static bool TryHex4(ReadOnlySpan<byte> json, int at, out int value)
    {
        value = 0;
        if (at + 4 > json.Length)
        {
            return false;
        }

        foreach (var h in json.Slice(at, 4))
        {
            int digit = h switch
            {
                >= (byte)'0' and <= (byte)'9' => h - '0',
                >= (byte)'a' and <= (byte)'f' => h - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => h - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static void SkipDigits(ReadOnlySpan<byte> json, ref int i)
    {
        while (i < json.Length && IsDigit(json[i]))
        {
            i++;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }
}
