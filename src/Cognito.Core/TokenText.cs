using System.Buffers;
using System.Buffers.Text;

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
    private static readonly SearchValues<char> AlphabetChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

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
        if (written < 0 || destination.Length < written || text.ContainsAnyExcept(AlphabetChars))
        {
            written = 0;
            return false;
        }

        // RFC 4648 §3.5: the unused low bits of the last character (4 when 2 chars remain, 2 when 3) must
        // be zero, or the same bytes would have several spellings.
        var unusedBits = (text.Length % 4) switch { 2 => 0x0F, 3 => 0x03, _ => 0 };
        if (unusedBits != 0 && (Sextet(text[^1]) & unusedBits) != 0)
        {
            written = 0;
            return false;
        }

        // The alphabet is checked above, so the platform's vectorised decoder sees only canonical text.
        var status = Base64Url.DecodeFromChars(text, destination, out var consumed, out var decoded);
        if (status != OperationStatus.Done || consumed != text.Length || decoded != written)
        {
            written = 0;
            return false;
        }

        return true;
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
