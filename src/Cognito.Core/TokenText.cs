namespace Cognito;

/// <summary>The three segments of a JWS compact token, as ranges of its text.</summary>
internal readonly record struct TokenSegments(Range Header, Range Payload, Range Signature)
{
    /// <summary>The signing input <c>header.payload</c>.</summary>
    public Range SigningInput => new(Header.Start, Payload.End);
}

/// <summary>
/// Stage 3: token text. Splits a JWS compact token (RFC 7515 §7.1) into exactly three non-empty
/// segments and decodes base64url strictly: no padding, no characters outside the alphabet, and only
/// canonical encodings (unused trailing bits zero, RFC 4648 §3.5), so every token has one spelling.
/// </summary>
internal static class TokenText
{
    private static readonly sbyte[] Alphabet = BuildAlphabet();

    internal static TokenSegments? Split(ReadOnlySpan<char> token)
    {
        var first = token.IndexOf('.');
        if (first <= 0)
        {
            return null;
        }

        var afterFirst = token[(first + 1)..];
        var second = afterFirst.IndexOf('.');
        if (second <= 0)
        {
            return null;
        }

        var secondAbsolute = first + 1 + second;
        var signature = token[(secondAbsolute + 1)..];
        if (signature.IsEmpty || signature.Contains('.'))
        {
            return null;
        }

        return new TokenSegments(..first, (first + 1)..secondAbsolute, (secondAbsolute + 1)..);
    }

    /// <summary>The number of bytes a canonical base64url text of this length decodes to, or -1.</summary>
    internal static int DecodedLength(int textLength) => (textLength % 4) switch
    {
        0 => textLength / 4 * 3,
        1 => -1,
        var rest => (textLength / 4 * 3) + rest - 1,
    };

    /// <summary>Decodes canonical unpadded base64url; false for anything else.</summary>
    internal static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = DecodedLength(text.Length);
        if (written < 0 || destination.Length < written)
        {
            written = 0;
            return false;
        }

        var output = 0;
        var i = 0;
        for (; i + 4 <= text.Length; i += 4)
        {
            int a = Sextet(text[i]), b = Sextet(text[i + 1]), c = Sextet(text[i + 2]), d = Sextet(text[i + 3]);
            if ((a | b | c | d) < 0)
            {
                return false;
            }

            var block = (a << 18) | (b << 12) | (c << 6) | d;
            destination[output++] = (byte)(block >> 16);
            destination[output++] = (byte)(block >> 8);
            destination[output++] = (byte)block;
        }

        var rest = text.Length - i;
        if (rest == 2)
        {
            int a = Sextet(text[i]), b = Sextet(text[i + 1]);
            // The last char carries 4 unused bits; they must be zero.
            if ((a | b) < 0 || (b & 0x0F) != 0)
            {
                return false;
            }

            destination[output++] = (byte)((a << 2) | (b >> 4));
        }
        else if (rest == 3)
        {
            int a = Sextet(text[i]), b = Sextet(text[i + 1]), c = Sextet(text[i + 2]);
            // The last char carries 2 unused bits; they must be zero.
            if ((a | b | c) < 0 || (c & 0x03) != 0)
            {
                return false;
            }

            var block = (a << 12) | (b << 6) | c;
            destination[output++] = (byte)(block >> 10);
            destination[output++] = (byte)(block >> 2);
        }

        return output == written;
    }

    private static int Sextet(char c) => c < 128 ? Alphabet[c] : -1;

    private static sbyte[] BuildAlphabet()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        const string Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < Chars.Length; i++)
        {
            table[Chars[i]] = (sbyte)i;
        }

        return table;
    }
}
