using System.Buffers;
using System.Numerics;
using System.Text.Json;
using System.Text.Unicode;

namespace Cognito;

/// <summary>What is wrong with a JOSE header or JWT payload as JSON, if anything.</summary>
internal enum JsonShapeFault
{
    None,
    NotObject,
    TooDeep,
    DuplicateName,
}

/// <summary>
/// Stage 4 (structure, JSON part): a strict RFC 8259 check of a decoded header or payload that never
/// throws and never recurses: valid UTF-8, one JSON object, nesting bounded by <see cref="MaxDepth"/>,
/// no lone surrogate escapes, and no member name twice in any object (RFC 7515 §4 and RFC 7519 §4
/// let a JWT parser refuse duplicates; accepting them lets two parsers see two different claims).
/// Only text that passes is handed to <see cref="Utf8JsonReader"/>, which then cannot throw.
/// </summary>
internal static class JsonShape
{
    /// <summary>Deepest nesting accepted (the payload object is depth 1; Cognito's deepest is 3).</summary>
    internal const int MaxDepth = 16;

    internal static JsonShapeFault Check(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return JsonShapeFault.NotObject;
        }

        var grammar = CheckGrammar(json);
        return grammar != JsonShapeFault.None ? grammar : CheckDuplicateNames(json);
    }

    private static JsonShapeFault CheckGrammar(ReadOnlySpan<byte> json)
    {
        var i = SkipWhitespace(json, 0);
        if (i >= json.Length || json[i] != (byte)'{')
        {
            return JsonShapeFault.NotObject;
        }

        // Containers open at each depth: bit set = object, clear = array.
        var objects = 0u;
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
                    objects = isObject ? objects | (1u << depth) : objects & ~(1u << depth);
                    i = SkipWhitespace(json, i + 1);
                    if (i < json.Length && json[i] == (isObject ? (byte)'}' : (byte)']'))
                    {
                        depth--;
                        i++;
                        expectValue = false;
                        if (depth == 0)
                        {
                            return SkipWhitespace(json, i) == json.Length ? JsonShapeFault.None : JsonShapeFault.NotObject;
                        }

                        continue;
                    }

                    if (isObject && !TryMemberName(json, ref i))
                    {
                        return JsonShapeFault.NotObject;
                    }

                    continue;
                }

                if (!TryScalar(json, ref i))
                {
                    return JsonShapeFault.NotObject;
                }

                expectValue = false;
                continue;
            }

            var inObject = (objects & (1u << depth)) != 0;
            if (json[i] == (byte)',')
            {
                i++;
                if (inObject && !TryMemberName(json, ref i))
                {
                    return JsonShapeFault.NotObject;
                }

                expectValue = true;
                continue;
            }

            if (json[i] != (inObject ? (byte)'}' : (byte)']'))
            {
                return JsonShapeFault.NotObject;
            }

            i++;
            if (--depth == 0)
            {
                return SkipWhitespace(json, i) == json.Length ? JsonShapeFault.None : JsonShapeFault.NotObject;
            }
        }
    }

    /// <summary>A member name and its colon.</summary>
    private static bool TryMemberName(ReadOnlySpan<byte> json, ref int i)
    {
        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)'"' || !TryString(json, ref i))
        {
            return false;
        }

        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)':')
        {
            return false;
        }

        i++;
        return true;
    }

    private static bool TryScalar(ReadOnlySpan<byte> json, ref int i) => json[i] switch
    {
        (byte)'"' => TryString(json, ref i),
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

    /// <summary>A string starting at the opening quote; control characters and lone surrogate escapes refused.</summary>
    private static bool TryString(ReadOnlySpan<byte> json, ref int i)
    {
        i++;
        var pendingHighSurrogate = false;
        while (i < json.Length)
        {
            var c = json[i];
            if (c == (byte)'"')
            {
                i++;
                return !pendingHighSurrogate;
            }

            if (c < 0x20)
            {
                return false;
            }

            if (c != (byte)'\\')
            {
                if (pendingHighSurrogate)
                {
                    return false;
                }

                i++;
                continue;
            }

            if (i + 1 >= json.Length)
            {
                return false;
            }

            var escape = json[i + 1];
            if (escape == (byte)'u')
            {
                if (i + 5 >= json.Length || !TryHex4(json.Slice(i + 2, 4), out var unit))
                {
                    return false;
                }

                var isHigh = unit is >= 0xD800 and <= 0xDBFF;
                var isLow = unit is >= 0xDC00 and <= 0xDFFF;
                if (pendingHighSurrogate != isLow || (isHigh && pendingHighSurrogate))
                {
                    return false;
                }

                pendingHighSurrogate = isHigh;
                i += 6;
                continue;
            }

            if (pendingHighSurrogate || escape is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
            {
                return false;
            }

            i += 2;
        }

        return false;
    }

    private static bool TryHex4(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var h in hex)
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
    /// Finds a member name used twice in one object, at any depth, comparing names after unescaping
    /// (<c>"a"</c> and <c>"\u0061"</c> are the same name). One hash table keyed by (object, name):
    /// linear in the text, whatever the number of members.
    /// </summary>
    private static JsonShapeFault CheckDuplicateNames(ReadOnlySpan<byte> json)
    {
        // A member needs at least 4 bytes ("":0), so this bounds the number of names.
        var maxNames = (json.Length / 4) + 1;
        var tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)(maxNames * 2));
        var names = ArrayPool<byte>.Shared.Rent(json.Length);
        var entries = ArrayPool<int>.Shared.Rent(maxNames * 3);
        var table = ArrayPool<int>.Shared.Rent(tableSize);
        try
        {
            Array.Clear(table, 0, tableSize);
            Span<int> openObjects = stackalloc int[MaxDepth + 1];
            var depth = 0;
            var objectCount = 0;
            var nameBytes = 0;
            var entryCount = 0;
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        openObjects[++depth] = objectCount++;
                        break;
                    case JsonTokenType.EndObject:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName:
                        var owner = openObjects[depth];
                        var length = reader.CopyString(names.AsSpan(nameBytes));
                        var name = names.AsSpan(nameBytes, length);
                        var hash = new HashCode();
                        hash.Add(owner);
                        hash.AddBytes(name);
                        var slot = hash.ToHashCode() & (tableSize - 1);
                        while (table[slot] != 0)
                        {
                            var e = (table[slot] - 1) * 3;
                            if (entries[e] == owner && names.AsSpan(entries[e + 1], entries[e + 2]).SequenceEqual(name))
                            {
                                return JsonShapeFault.DuplicateName;
                            }

                            slot = (slot + 1) & (tableSize - 1);
                        }

                        entries[entryCount * 3] = owner;
                        entries[(entryCount * 3) + 1] = nameBytes;
                        entries[(entryCount * 3) + 2] = length;
                        table[slot] = ++entryCount;
                        nameBytes += length;
                        break;
                }
            }

            return JsonShapeFault.None;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(names);
            ArrayPool<int>.Shared.Return(entries);
            ArrayPool<int>.Shared.Return(table);
        }
    }
}
