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
public static class CookieHeader
{
    /// <summary>
    /// Every value of the cookie <paramref name="name"/> in a Cookie header, in the order sent, read by the
    /// rules the session is read with (above): for a host that must see each occurrence of its own
    /// cookie, where ASP.NET's cookie collection keeps only the last. Never throws; none for a null header.
    /// </summary>
    public static IReadOnlyList<string> Values(string? cookieHeader, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new List<string>();
        ReadOnlySpan<char> header = cookieHeader;
        foreach (var (found, value) in new PairsStartingWith(header, name))
        {
            if (found.GetOffsetAndLength(header.Length).Length == name.Length)
            {
                values.Add(header[value].ToString());
            }
        }

        return values;
    }

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
        foreach (var (nameRange, valueRange) in new PairsStartingWith(header, name1))
        {
            var name = header[nameRange];
            if (name.Length == nameLength
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

    /// <summary>
    /// The pairs of <see cref="Pairs"/> whose name starts with <paramref name="lead"/>, in the same order
    /// and with the same ranges, found with a vectorised search for <paramref name="lead"/> instead of a
    /// walk over every pair: unrelated cookies and the contents of values are skipped at the speed of
    /// <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>. A match counts only where
    /// a name starts: at the header's start or after a <c>;</c> and optional whitespace (a value cannot hold
    /// a <c>;</c>, so every <c>;</c> ends a pair). An empty lead lists every pair.
    /// </summary>
    internal ref struct PairsStartingWith(ReadOnlySpan<char> header, ReadOnlySpan<char> lead)
    {
        private readonly ReadOnlySpan<char> _header = header;
        private readonly ReadOnlySpan<char> _lead = lead;
        private Pairs _all = new(header);
        private int _position;

        public (Range Name, Range Value) Current { get; private set; }

        public readonly PairsStartingWith GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_lead.IsEmpty)
            {
                var more = _all.MoveNext();
                Current = _all.Current;
                return more;
            }

            while (_position < _header.Length)
            {
                // Amplify's cookies usually follow one another: look where the next name starts before searching.
                var from = _position;
                while (from < _header.Length && IsOptionalWhitespace(_header[from]))
                {
                    from++;
                }

                var found = _header[from..].StartsWith(_lead, StringComparison.Ordinal) ? 0 : _header[from..].IndexOf(_lead);
                if (found < 0)
                {
                    break;
                }

                var at = from + found;
                var start = at;
                while (start > 0 && IsOptionalWhitespace(_header[start - 1]))
                {
                    start--;
                }

                if (start > 0 && _header[start - 1] != ';')
                {
                    // Inside a name or a value: not where a name starts.
                    _position = at + 1;
                    continue;
                }

                var end = _header[at..].IndexOf(';');
                end = end < 0 ? _header.Length : at + end;
                _position = end + 1;
                if (TryPair(_header, start, end, out var pair) && _header[pair.Name].StartsWith(_lead, StringComparison.Ordinal))
                {
                    Current = pair;
                    return true;
                }
            }

            _position = _header.Length;
            return false;
        }
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
                var end = _header[start..].IndexOf(';');
                end = end < 0 ? _header.Length : start + end;
                _position = end + 1;
                if (TryPair(_header, start, end, out var pair))
                {
                    Current = pair;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The pair in <c>header[start..end]</c> (one segment between semicolons): trimmed name and value, quotes removed; false without '='.</summary>
    private static bool TryPair(ReadOnlySpan<char> header, int start, int end, out (Range Name, Range Value) pair)
    {
        var segment = header[start..end];
        var equals = segment.IndexOf('=');
        if (equals < 0)
        {
            pair = default;
            return false;
        }

        Trim(segment[..equals], out var nameLead, out var nameLength);
        Trim(segment[(equals + 1)..], out var valueLead, out var valueLength);
        var valueStart = start + equals + 1 + valueLead;
        if (valueLength >= 2 && header[valueStart] == '"' && header[valueStart + valueLength - 1] == '"')
        {
            valueStart++;
            valueLength -= 2;
        }

        pair = (new Range(start + nameLead, start + nameLead + nameLength), new Range(valueStart, valueStart + valueLength));
        return true;
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
