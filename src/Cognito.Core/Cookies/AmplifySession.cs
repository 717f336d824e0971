using System.Buffers;

namespace Cognito;

/// <summary>
/// The Cookies stage: from the Cookie header to the token text of the signed-in user. Reads
/// <c>{prefix}.LastAuthUser</c>, decodes it, builds K with js-cookie's name rule (then, second, with
/// the rule of Amplify's Next.js adapter, which leaves parentheses as they are) and reads
/// <c>{prefix}.{K}.idToken</c>, <c>.accessToken</c> and <c>.refreshToken</c>. Any other cookie
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
        foreach (var (nameRange, valueRange) in new CookieHeader.Pairs(text))
        {
            var name = text[nameRange];
            if (name.Length <= prefix.Length + key.Length + 2
                || !name.StartsWith(prefix, StringComparison.Ordinal)
                || name[prefix.Length] != '.'
                || !name[(prefix.Length + 1)..].StartsWith(key, StringComparison.Ordinal)
                || name[prefix.Length + 1 + key.Length] != '.')
            {
                continue;
            }

            var index = name[(prefix.Length + key.Length + 2)..] switch
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
            }
        }

        if (Value(header, seen[0], found[0]) is not { } idToken || Value(header, seen[1], found[1]) is not { } accessToken)
        {
            return null;
        }

        return new SessionCookies(idToken, accessToken, Value(header, seen[2], found[2]));
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
