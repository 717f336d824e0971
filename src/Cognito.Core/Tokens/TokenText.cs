using System.Buffers;
using System.Buffers.Text;

namespace Cognito;

/// <summary>
/// The Structure stage, token text: Splits a JWS compact token (RFC 7515 §7.1) into exactly three non-empty
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

        // Whole 4-character blocks go to the platform's vectorised decoder, which is fast only on them.
        // It refuses characters outside the alphabet and padding; it would skip whitespace, which the
        // length check below catches (fewer bytes than 3 per 4 characters).
        var blocks = text.Length / 4 * 4;
        if (blocks > 0
            && (Base64Url.DecodeFromChars(text[..blocks], destination, out var consumed, out var decoded) != OperationStatus.Done
                || consumed != blocks
                || decoded != blocks / 4 * 3))
        {
            written = 0;
            return false;
        }

        if (!TryDecodeTail(text[blocks..], destination[(blocks / 4 * 3)..]))
        {
            written = 0;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The last 2 or 3 characters. RFC 4648 §3.5: their unused low bits (4 of 2 characters, 2 of 3) must
    /// be zero, or the same bytes would have several spellings.
    /// </summary>
    private static bool TryDecodeTail(ReadOnlySpan<char> tail, Span<byte> destination)
    {
        switch (tail.Length)
        {
            case 0:
                return true;
            case 2:
            {
                int a = Sextet(tail[0]), b = Sextet(tail[1]);
                if ((a | b) < 0 || (b & 0x0F) != 0)
                {
                    return false;
                }

                destination[0] = (byte)((a << 2) | (b >> 4));
                return true;
            }

            case 3:
            {
                int a = Sextet(tail[0]), b = Sextet(tail[1]), c = Sextet(tail[2]);
                if ((a | b | c) < 0 || (c & 0x03) != 0)
                {
                    return false;
                }

                var block = (a << 12) | (b << 6) | c;
                destination[0] = (byte)(block >> 10);
                destination[1] = (byte)(block >> 2);
                return true;
            }

            default:
                return false;
        }
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
