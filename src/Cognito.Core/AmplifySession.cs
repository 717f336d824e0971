using System.Buffers;

namespace Cognito;

/// <summary>The token cookies of one Amplify session, as text (slices of the header where possible).</summary>
internal readonly record struct SessionCookies(
    ReadOnlyMemory<char> IdToken,
    ReadOnlyMemory<char> AccessToken,
    ReadOnlyMemory<char>? RefreshToken);

/// <summary>
/// Stage 2: from the Cookie header to the token text of the signed-in user. Reads
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
                ArrayPool<byte>.Shared.Return(utf8Rented);
            }

            if (nameRented is not null)
            {
                ArrayPool<char>.Shared.Return(nameRented);
            }
        }
    }

    private static SessionCookies? FindTokens(string header, string prefix, ReadOnlySpan<char> key)
    {
        var id = Value(header, prefix, key, ".idToken");
        var access = Value(header, prefix, key, ".accessToken");
        if (id is not { } idToken || access is not { } accessToken)
        {
            return null;
        }

        return new SessionCookies(idToken, accessToken, Value(header, prefix, key, ".refreshToken"));
    }

    private static ReadOnlyMemory<char>? Value(string header, string prefix, ReadOnlySpan<char> key, string suffix)
    {
        // name = prefix + "." + key + suffix; the "." is the first char of the suffix-less part.
        Span<char> dotKey = key.Length + 1 <= StackLimit ? stackalloc char[key.Length + 1] : new char[key.Length + 1];
        dotKey[0] = '.';
        key.CopyTo(dotKey[1..]);
        if (!CookieHeader.TryFind(header, prefix, dotKey, suffix, out var start, out var length) || length == 0)
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
