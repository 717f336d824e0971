using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Cognito;

/// <summary>
/// The Structure stage, JSON part: a strict RFC 8259 check of a decoded header or payload, in one pass
/// that never throws and never recurses: valid UTF-8, one JSON object, nesting bounded by
/// <see cref="MaxDepth"/>, no control characters or lone surrogate escapes in strings, and no member name
/// twice in any object, compared after unescaping (<c>"sub"</c> and <c>"\u0073ub"</c> are one name;
/// RFC 7515 §4 and RFC 7519 §4 let a parser refuse duplicates, and accepting them lets two parsers
/// read two different claims). Only text that passes is handed to <see cref="Utf8JsonReader"/>, which
/// then cannot throw.
/// </summary>
internal static class JsonShape
{
    /// <summary>Deepest nesting accepted (the payload object is depth 1; Cognito's deepest is 3).</summary>
    internal const int MaxDepth = 16;

    private const int StackNames = 64;

    /// <summary>What ends a run of plain string bytes: the closing quote, an escape, or a control character.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>Checks a document that nobody reads in the same pass.</summary>
    internal static JsonShapeFault Check(ReadOnlySpan<byte> json)
    {
        var nobody = default(NoMembers);
        return Check(json, ref nobody);
    }

    /// <summary>
    /// Checks a document and, in the same pass, tells <paramref name="members"/> about the members of its
    /// top-level object, so a reader locates what it needs without reading the text twice.
    /// </summary>
    internal static JsonShapeFault Check<TMembers>(ReadOnlySpan<byte> json, ref TMembers members)
        where TMembers : struct, IJsonMembers
    {
        if (!Utf8.IsValid(json))
        {
            return JsonShapeFault.NotObject;
        }

        // A member needs at least 4 bytes ("":0), which bounds the number of names.
        // Stryker disable once Arithmetic : equivalent, a loose bound (a member takes at least 5 bytes): a little less or much more room changes nothing
        var maxNames = (json.Length / 4) + 1;
        int[]? rentedNames = null, rentedTable = null;
        byte[]? rentedScratch = null;
        try
        {
            var tableSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxNames * 2, 2));
            var names = maxNames <= StackNames ? stackalloc int[StackNames * 4] : (rentedNames = ArrayPool<int>.Shared.Rent(maxNames * 4));
            var table = tableSize <= StackNames * 2 ? stackalloc int[StackNames * 2] : (rentedTable = ArrayPool<int>.Shared.Rent(tableSize));
            table[..tableSize].Clear();
            var scratch = json.Length <= 512 ? stackalloc byte[512] : (rentedScratch = ArrayPool<byte>.Shared.Rent(json.Length));
            var state = new NameSet(names, table[..tableSize], scratch);
            return Scan(json, ref state, ref members);
        }
        finally
        {
            if (rentedNames is not null)
            {
                // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
                ArrayPool<int>.Shared.Return(rentedNames);
            }

            if (rentedTable is not null)
            {
                // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
                ArrayPool<int>.Shared.Return(rentedTable);
            }

            if (rentedScratch is not null)
            {
                // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
                ArrayPool<byte>.Shared.Return(rentedScratch);
            }
        }
    }

    private static JsonShapeFault Scan<TMembers>(ReadOnlySpan<byte> json, scoped ref NameSet names, ref TMembers members)
        where TMembers : struct, IJsonMembers
    {
        var i = SkipWhitespace(json, 0);
        if (i >= json.Length || json[i] != (byte)'{')
        {
            return JsonShapeFault.NotObject;
        }

        // The container open at each depth (object or array), and each object's ordinal.
        Span<bool> isObjectAt = stackalloc bool[MaxDepth + 1];
        Span<int> owners = stackalloc int[MaxDepth + 1];
        var objectCount = 0;
        var depth = 0;
        var expectValue = true;
        while (true)
        {
            i = SkipWhitespace(json, i);
            if (i >= json.Length)
            {
                return JsonShapeFault.NotObject;
            }

            if (expectValue)
            {
                var c = json[i];
                if (c is (byte)'{' or (byte)'[')
                {
                    if (++depth > MaxDepth)
                    {
                        return JsonShapeFault.TooDeep;
                    }

                    var isObject = c == (byte)'{';
                    if (depth == 2)
                    {
                        members.Open(isObject, i);
                    }
                    else if (depth == 3)
                    {
                        members.NestedInValue();
                    }

                    isObjectAt[depth] = isObject;
                    if (isObject)
                    {
                        // Stryker disable once Update : equivalent, object ordinals only need to differ, counting down does that too
                        owners[depth] = objectCount++;
                    }

                    i = SkipWhitespace(json, i + 1);
                    if (i < json.Length && json[i] == (isObject ? (byte)'}' : (byte)']'))
                    {
                        i++;
                        expectValue = false;
                        if (depth == 2)
                        {
                            members.Close(i);
                        }

                        if (--depth == 0)
                        {
                            return SkipWhitespace(json, i) == json.Length ? JsonShapeFault.None : JsonShapeFault.NotObject;
                        }

                        continue;
                    }

                    if (isObject && MemberName(json, ref i, owners[depth], depth, ref names, ref members) is var fault and not JsonShapeFault.None)
                    {
                        return fault;
                    }

                    continue;
                }

                var scalarStart = i;
                if (!TryScalar(json, ref i, out var escaped))
                {
                    return JsonShapeFault.NotObject;
                }

                if (depth == 1)
                {
                    members.Scalar(json, scalarStart, i, escaped);
                }
                else if (depth == 2)
                {
                    members.ElementInValue(c);
                }

                expectValue = false;
                continue;
            }

            var inObject = isObjectAt[depth];
            if (json[i] == (byte)',')
            {
                i++;
                if (inObject && MemberName(json, ref i, owners[depth], depth, ref names, ref members) is var fault and not JsonShapeFault.None)
                {
                    return fault;
                }

                expectValue = true;
                continue;
            }

            if (json[i] != (inObject ? (byte)'}' : (byte)']'))
            {
                return JsonShapeFault.NotObject;
            }

            i++;
            if (depth == 2)
            {
                members.Close(i);
            }

            if (--depth == 0)
            {
                return SkipWhitespace(json, i) == json.Length ? JsonShapeFault.None : JsonShapeFault.NotObject;
            }
        }
    }

    /// <summary>A member name and its colon; the name is added to the object's names.</summary>
    private static JsonShapeFault MemberName<TMembers>(ReadOnlySpan<byte> json, ref int i, int owner, int depth, scoped ref NameSet names, ref TMembers members)
        where TMembers : struct, IJsonMembers
    {
        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return JsonShapeFault.NotObject;
        }

        var start = i + 1;
        if (!TryString(json, ref i, out var escaped))
        {
            return JsonShapeFault.NotObject;
        }

        if (!names.Add(json, owner, start, i - 1 - start, escaped, out var name))
        {
            return JsonShapeFault.DuplicateName;
        }

        if (depth == 1)
        {
            members.Member(name);
        }

        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)':')
        {
            return JsonShapeFault.NotObject;
        }

        i++;
        return JsonShapeFault.None;
    }

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

    /// <summary>
    /// The member names seen so far, by (object, unescaped name), in an open-addressing hash table:
    /// linear in the text whatever the number of members. Plain names are compared where they stand;
    /// escaped ones are unescaped into a scratch buffer first.
    /// </summary>
    private ref struct NameSet(Span<int> entries, Span<int> table, Span<byte> scratch)
    {
        private readonly Span<int> _entries = entries; // owner, start, length, in-scratch: 4 ints each
        private readonly Span<int> _table = table;
        private readonly Span<byte> _scratch = scratch;
        private int _count;
        private int _scratchUsed;

        public bool Add(ReadOnlySpan<byte> json, int owner, int start, int length, bool escaped, out ReadOnlySpan<byte> added)
        {
            var inScratch = 0;
            if (escaped)
            {
                var unescaped = Unescape(json.Slice(start, length), _scratch[_scratchUsed..]);
                (start, length, inScratch) = (_scratchUsed, unescaped, 1);
                _scratchUsed += unescaped;
            }

            var name = inScratch == 1 ? _scratch.Slice(start, length) : json.Slice(start, length);
            added = name;
            var hash = new HashCode();
            // Stryker disable once Statement : equivalent, the hash only spreads names over the table: a match compares owner and bytes
            hash.Add(owner);
            // Stryker disable once Statement : equivalent, the hash only spreads names over the table: a match compares owner and bytes
            hash.AddBytes(name);
            var mask = _table.Length - 1;
            for (var slot = hash.ToHashCode() & mask; ; slot = (slot + 1) & mask)
            {
                var entry = _table[slot];
                if (entry == 0)
                {
                    var e = _count * 4;
                    (_entries[e], _entries[e + 1], _entries[e + 2], _entries[e + 3]) = (owner, start, length, inScratch);
                    _table[slot] = ++_count;
                    return true;
                }

                var at = (entry - 1) * 4;
                if (_entries[at] == owner
                    && (_entries[at + 3] == 1 ? _scratch : json).Slice(_entries[at + 1], _entries[at + 2]).SequenceEqual(name))
                {
                    return false;
                }
            }
        }

        /// <summary>Unescapes a string body that <see cref="TryString"/> accepted; returns the UTF-8 length.</summary>
        private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
        {
            var written = 0;
            for (var i = 0; i < raw.Length;)
            {
                if (raw[i] != (byte)'\\')
                {
                    destination[written++] = raw[i++];
                    continue;
                }

                var escape = raw[i + 1];
                if (escape != (byte)'u')
                {
                    destination[written++] = escape switch
                    {
                        (byte)'b' => (byte)'\b',
                        (byte)'f' => (byte)'\f',
                        (byte)'n' => (byte)'\n',
                        (byte)'r' => (byte)'\r',
                        (byte)'t' => (byte)'\t',
                        _ => escape,
                    };
                    i += 2;
                    continue;
                }

                TryHex4(raw, i + 2, out var unit);
                i += 6;
                var scalar = unit;
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    TryHex4(raw, i + 2, out var low);
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }

                written += new Rune(scalar).EncodeToUtf8(destination[written..]);
            }

            return written;
        }
    }
}
