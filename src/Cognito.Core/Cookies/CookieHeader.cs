namespace Cognito;

/// <summary>
/// The Cookies stage, first half: the Cookie header as browsers send it (RFC 6265 §5.4). Scans the header as a span for
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
        foreach (var (nameRange, valueRange) in new Pairs(header))
        {
            var name = header[nameRange];
            if (name.Length == nameLength
                && name.StartsWith(name1, StringComparison.Ordinal)
                && name[name1.Length..].StartsWith(name2, StringComparison.Ordinal)
                && name[(name1.Length + name2.Length)..].SequenceEqual(name3))
            {
                (valueStart, valueLength) = valueRange.GetOffsetAndLength(header.Length);
                return true;
            }
        }

        valueStart = 0;
        valueLength = 0;
        return false;
    }

    /// <summary>The <c>name=value</c> pairs of a header, in order, as ranges (trimmed, quotes removed); pairs without '=' skipped.</summary>
    internal ref struct Pairs(ReadOnlySpan<char> header)
    {
        private readonly ReadOnlySpan<char> _header = header;
        private int _position;

        public (Range Name, Range Value) Current { get; private set; }

        public readonly Pairs GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_position <= _header.Length)
            {
                var start = _position;
                var rest = _header[start..];
                var end = rest.IndexOf(';');
                var pair = end < 0 ? rest : rest[..end];
                _position = end < 0 ? _header.Length + 1 : start + end + 1;
                var equals = pair.IndexOf('=');
                if (equals < 0)
                {
                    continue;
                }

                Trim(pair[..equals], out var nameLead, out var nameLength);
                Trim(pair[(equals + 1)..], out var valueLead, out var valueLength);
                var valueStart = start + equals + 1 + valueLead;
                if (valueLength >= 2 && _header[valueStart] == '"' && _header[valueStart + valueLength - 1] == '"')
                {
                    valueStart++;
                    valueLength -= 2;
                }

                Current = (new Range(start + nameLead, start + nameLead + nameLength), new Range(valueStart, valueStart + valueLength));
                return true;
            }

            return false;
        }
    }

    private static void Trim(ReadOnlySpan<char> text, out int leading, out int length)
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
        length = end - start;
    }

    private static bool IsOptionalWhitespace(char c) => c is ' ' or '\t';
}
