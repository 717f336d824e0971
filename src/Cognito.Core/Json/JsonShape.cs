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
internal static partial class JsonShape
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

        // Every member name is followed by its own colon outside any string (strings may add more), and
        // the names are counted before their colon is checked: the colons plus one bound the names. A
        // vectorised count, so a 1 KB payload of 25 claims needs a table of 64, not one sized for 256.
        var maxNames = json.Count((byte)':') + 1;
        int[]? rentedNames = null, rentedTable = null;
        byte[]? rentedScratch = null;
        try
        {
            var tableSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(maxNames * 2));
            var names = maxNames <= StackNames ? stackalloc int[StackNames * 4] : (rentedNames = ArrayPool<int>.Shared.Rent(maxNames * 4));
            var table = tableSize <= StackNames * 2 ? stackalloc int[StackNames * 2] : (rentedTable = ArrayPool<int>.Shared.Rent(tableSize));
            table[..tableSize].Clear();

            // Unescaped names go to the scratch buffer; without a backslash in the text there are none.
            var scratchLength = json.Contains((byte)'\\') ? json.Length : 0;
            var scratch = scratchLength <= 512 ? stackalloc byte[512] : (rentedScratch = ArrayPool<byte>.Shared.Rent(scratchLength));
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
}
