using System.Buffers;

namespace Cognito;

/// <summary>
/// The Cookies stage: from the Cookie header to the token text of the signed-in user. Reads
/// <c>{prefix}.LastAuthUser</c>, decodes it, builds K with js-cookie's name rule (then, second, with
/// the rule of Amplify's Next.js adapter, which leaves parentheses as they are) and reads
/// <c>{prefix}.{K}.idToken</c>, <c>.accessToken</c> and <c>.refreshToken</c> (each whole, or in
/// ASP.NET Core's chunked-cookie format when the server wrote it too large for one cookie). Any other cookie
/// (<c>.clockDrift</c>, <c>.userData</c>, <c>.signInDetails</c>, …) is ignored.
/// </summary>
internal static class AmplifySession
{
    private const int StackLimit = 256;

    internal static SessionCookies? Find(string header, string prefix)
    {
        var text = header.AsSpan();
        if (!CookieHeader.TryFind(text, prefix, ".LastAuthUser", default, out var userStart, out var userLength)
            || userLength == 0)
        {
            return null;
        }

        var user = text.Slice(userStart, userLength);
        var utf8Rented = user.Length * 3 > StackLimit ? ArrayPool<byte>.Shared.Rent(user.Length * 3) : null;
        var utf8 = utf8Rented ?? stackalloc byte[StackLimit];
        char[]? nameRented = null;
        try
        {
            if (!AmplifyCookieNames.TryDecodeToUtf8(user, utf8, out var utf8Length))
            {
                return null;
            }

            var username = utf8[..utf8Length];
            var nameCapacity = utf8Length * 3;
            nameRented = nameCapacity > StackLimit ? ArrayPool<char>.Shared.Rent(nameCapacity) : null;
            var name = nameRented ?? stackalloc char[StackLimit];

            var length = AmplifyCookieNames.EncodeName(username, name, encodeParentheses: true);
            if (FindTokens(header, prefix, name[..length]) is { } jsCookie)
            {
                return jsCookie;
            }

            // Stryker disable once Block : equivalent, a fast path: without parentheses the second form is the first, and is not found again
            if (username.IndexOfAny((byte)'(', (byte)')') < 0)
            {
                return null;
            }

            length = AmplifyCookieNames.EncodeName(username, name, encodeParentheses: false);
            return FindTokens(header, prefix, name[..length]);
        }
        finally
        {
            if (utf8Rented is not null)
            {
                // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
                ArrayPool<byte>.Shared.Return(utf8Rented);
            }

            if (nameRented is not null)
            {
                // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
                ArrayPool<char>.Shared.Return(nameRented);
            }
        }
    }

    /// <summary>
    /// One pass over the header for the three token cookies of K: <c>{prefix}.{K}.idToken</c>,
    /// <c>.accessToken</c> and <c>.refreshToken</c>, first occurrence of each.
    /// </summary>
    private static SessionCookies? FindTokens(string header, string prefix, ReadOnlySpan<char> key)
    {
        Span<Range> found = [default, default, default];
        Span<bool> seen = [false, false, false];
        ReadOnlySpan<char> text = header;
        foreach (var (nameRange, valueRange) in new CookieHeader.PairsStartingWith(text, prefix))
        {
            var index = Suffix(text[nameRange], prefix, key) switch
            {
                "idToken" => 0,
                "accessToken" => 1,
                "refreshToken" => 2,
                _ => -1,
            };
            if (index >= 0 && !seen[index])
            {
                seen[index] = true;
                found[index] = valueRange;
                if (seen[0] && seen[1] && seen[2])
                {
                    // The first of each is all that counts: the rest of the header cannot change the session.
                    break;
                }
            }
        }

        if (Unchunked(header, prefix, key, "idToken", Value(header, seen[0], found[0])) is not { } idToken
            || Unchunked(header, prefix, key, "accessToken", Value(header, seen[1], found[1])) is not { } accessToken)
        {
            return null;
        }

        // A chunked refresh token with a part missing is no session either: never a partial token.
        var refreshCookie = Value(header, seen[2], found[2]);
        var refreshToken = Unchunked(header, prefix, key, "refreshToken", refreshCookie);
        return refreshCookie is not null && refreshToken is null ? null : new SessionCookies(idToken, accessToken, refreshToken);
    }

    /// <summary>What follows <c>{prefix}.{K}.</c> in a cookie name, or an empty span when the name is not one of K's.</summary>
    private static ReadOnlySpan<char> Suffix(ReadOnlySpan<char> name, string prefix, ReadOnlySpan<char> key) =>
        name.Length <= prefix.Length + key.Length + 2
        || !name.StartsWith(prefix, StringComparison.Ordinal)
        || name[prefix.Length] != '.'
        || !name[(prefix.Length + 1)..].StartsWith(key, StringComparison.Ordinal)
        || name[prefix.Length + 1 + key.Length] != '.'
            ? default
            : name[(prefix.Length + key.Length + 2)..];

    /// <inheritdoc cref="AmplifyCookieNames.MaxChunks"/>
    internal const int MaxChunks = AmplifyCookieNames.MaxChunks;

    private const string ChunksMarker = "chunks-";

    /// <summary>
    /// A token cookie as ASP.NET Core's <c>ChunkingCookieManager</c> writes one that is too large for a
    /// browser: <c>{name}=chunks-N</c> and the parts in <c>{name}C1</c> … <c>{name}CN</c>. Reassembled
    /// from the first occurrence of each part; a count that is not 1 to <see cref="MaxChunks"/>, or a
    /// part missing or empty, is no session (null), never a partial token. Any other value is the token.
    /// </summary>
    private static ReadOnlyMemory<char>? Unchunked(string header, string prefix, ReadOnlySpan<char> key, string slot, ReadOnlyMemory<char>? value)
    {
        if (value is not { } marked || !marked.Span.StartsWith(ChunksMarker, StringComparison.Ordinal))
        {
            return value;
        }

        if (ChunkNumber(marked.Span[ChunksMarker.Length..], MaxChunks) is not { } count)
        {
            return null;
        }

        var parts = new ReadOnlyMemory<char>?[count];
        var seen = new bool[count];
        ReadOnlySpan<char> text = header;
        foreach (var (nameRange, valueRange) in new CookieHeader.PairsStartingWith(text, prefix))
        {
            var suffix = Suffix(text[nameRange], prefix, key);
            if (suffix.Length > slot.Length + 1
                && suffix.StartsWith(slot, StringComparison.Ordinal)
                && suffix[slot.Length] == 'C'
                && ChunkNumber(suffix[(slot.Length + 1)..], count) is { } part
                && !seen[part - 1])
            {
                seen[part - 1] = true;
                parts[part - 1] = Value(header, true, valueRange);
            }
        }

        var length = 0;
        foreach (var part in parts)
        {
            if (part is not { } present)
            {
                return null;
            }

            length += present.Length;
        }

        return string.Create(length, parts, static (target, pieces) =>
        {
            foreach (var piece in pieces)
            {
                piece!.Value.Span.CopyTo(target);
                target = target[piece.Value.Length..];
            }
        }).AsMemory();
    }

    /// <summary>A chunk count or index as ChunkingCookieManager writes it: 1 to <paramref name="max"/>, ASCII digits, no leading zero.</summary>
    private static int? ChunkNumber(ReadOnlySpan<char> digits, int max)
    {
        if (digits.Length is 0 or > 2 || digits[0] == '0')
        {
            return null;
        }

        var number = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            number = (number * 10) + (c - '0');
        }

        return number <= max ? number : null;
    }

    private static ReadOnlyMemory<char>? Value(string header, bool seen, Range range)
    {
        var (start, length) = range.GetOffsetAndLength(header.Length);
        if (!seen || length == 0)
        {
            return null;
        }

        var value = header.AsMemory(start, length);
        // Values are written with js-cookie's value rule: JWT characters pass unchanged, so only an
        // unusual writer leaves '%' escapes, and those are decoded as a reader must.
        return value.Span.Contains('%')
            ? AmplifyCookieNames.DecodeValue(value.ToString()).AsMemory()
            : value;
    }
}
