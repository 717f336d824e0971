namespace Cognito;

/// <summary>
/// Stage 1: the Cookie header as browsers send it (RFC 6265 §5.4). Scans the header as a span for
/// one cookie name at a time, without building a dictionary of all cookies.
/// </summary>
/// <remarks>
/// Rules: pairs are separated by <c>;</c> with optional spaces or tabs around names and values; a pair
/// without <c>=</c> is skipped; names are compared case-sensitively and byte for byte (never decoded);
/// a value wrapped in one pair of double quotes loses them; the first occurrence of a name wins, as in
/// the <c>cookie</c> package the original JavaScript package parses with (browsers send the cookie
/// with the most specific path first).
/// </remarks>
internal static class CookieHeader
{
    /// <summary>
    /// Finds the first cookie whose name is <paramref name="name1"/> + <paramref name="name2"/> +
    /// <paramref name="name3"/> (the name is given in parts so that callers need not concatenate).
    /// </summary>
    /// <returns>The value's start and length in <paramref name="header"/>, quotes removed; or false.</returns>
    internal static bool TryFind(
        ReadOnlySpan<char> header,
        ReadOnlySpan<char> name1,
        ReadOnlySpan<char> name2,
        ReadOnlySpan<char> name3,
        out int valueStart,
        out int valueLength)
    {
        var nameLength = name1.Length + name2.Length + name3.Length;
        var position = 0;
        while (position <= header.Length)
        {
            var rest = header[position..];
            var end = rest.IndexOf(';');
            var pair = end < 0 ? rest : rest[..end];
            var equals = pair.IndexOf('=');
            if (equals >= 0)
            {
                var name = Trim(pair[..equals], out _);
                if (name.Length == nameLength
                    && name.StartsWith(name1, StringComparison.Ordinal)
                    && name[name1.Length..].StartsWith(name2, StringComparison.Ordinal)
                    && name[(name1.Length + name2.Length)..].SequenceEqual(name3))
                {
                    var value = Trim(pair[(equals + 1)..], out var leading);
                    var start = position + equals + 1 + leading;
                    if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    {
                        start++;
                        value = value[1..^1];
                    }

                    valueStart = start;
                    valueLength = value.Length;
                    return true;
                }
            }

            if (end < 0)
            {
                break;
            }

            position += end + 1;
        }

        valueStart = 0;
        valueLength = 0;
        return false;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text, out int leading)
    {
        var start = 0;
        while (start < text.Length && IsOptionalWhitespace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && IsOptionalWhitespace(text[end - 1]))
        {
            end--;
        }

        leading = start;
        return text[start..end];
    }

    private static bool IsOptionalWhitespace(char c) => c is ' ' or '\t';
}
