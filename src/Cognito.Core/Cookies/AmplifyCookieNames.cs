using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Cognito;

/// <summary>
/// The Cookies stage: Amplify's cookie names (docs/spec.md, "Cookie format"). Amplify (v3–v6) writes
/// <c>CognitoIdentityServiceProvider.{clientId}.LastAuthUser</c> and
/// <c>CognitoIdentityServiceProvider.{clientId}.{K}.idToken</c> (and <c>.accessToken</c>,
/// <c>.refreshToken</c>, …) through js-cookie, where K is the username under js-cookie's
/// <em>name</em> rule and the values are written under its <em>value</em> rule.
/// </summary>
public static class AmplifyCookieNames
{
    /// <summary>
    /// The most chunks a token cookie may come in, in ASP.NET Core's chunked-cookie format
    /// (<c>{name}=chunks-N</c>, <c>{name}C1</c> … <c>{name}CN</c>), that the session reader reassembles
    /// (a 16 KB token in ~4 KB chunks needs 5).
    /// </summary>
    public const int MaxChunks = 16;

    /// <summary>The prefix of every Amplify cookie of an app client.</summary>
    public static string Prefix(string clientId) => "CognitoIdentityServiceProvider." + clientId;

    /// <summary>The name of the cookie holding the signed-in user's username.</summary>
    public static string LastAuthUser(string clientId) => Prefix(clientId) + ".LastAuthUser";

    /// <summary>The name of a per-user cookie, e.g. <c>TokenCookie(client, "jane", "idToken")</c>.</summary>
    public static string TokenCookie(string clientId, string username, string suffix) =>
        $"{Prefix(clientId)}.{EncodeUsername(username)}.{suffix}";

    /// <summary>
    /// js-cookie's name rule (js-cookie 2.x/3.x): percent-encode as <c>encodeURIComponent</c> does
    /// (UTF-8, uppercase hex), turn <c>%23 %24 %26 %2B %5E %60 %7C</c> back into
    /// <c># $ &amp; + ^ ` |</c>, then encode <c>(</c> and <c>)</c> as <c>%28</c> and <c>%29</c>.
    /// With <paramref name="encodeParentheses"/> false it is the rule of Amplify's Next.js server
    /// adapter, which skips the last step.
    /// </summary>
    /// <exception cref="ArgumentException">The username is not well-formed UTF-16 (a lone surrogate),
    /// which <c>encodeURIComponent</c> refuses too.</exception>
    public static string EncodeUsername(string username, bool encodeParentheses = true)
    {
        ArgumentNullException.ThrowIfNull(username);
        var utf8 = new byte[Encoding.UTF8.GetMaxByteCount(username.Length)];
        if (!TryToUtf8(username, utf8, out var length))
        {
            throw new ArgumentException("The username contains a lone surrogate.", nameof(username));
        }

        var chars = new char[length * 3];
        var written = EncodeName(utf8.AsSpan(0, length), chars, encodeParentheses);
        return new string(chars, 0, written);
    }

    /// <summary>
    /// js-cookie's value rule, as Amplify writes LastAuthUser: <c>encodeURIComponent</c>, then the escapes
    /// of <c># $ &amp; + / : &lt; = &gt; ? @ [ ] ^ ` { | }</c> turned back into the characters (JWT
    /// characters and <c>@</c> pass through unchanged).
    /// </summary>
    /// <exception cref="ArgumentException">The value contains a lone surrogate.</exception>
    public static string EncodeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var utf8 = new byte[Encoding.UTF8.GetMaxByteCount(value.Length)];
        if (!TryToUtf8(value, utf8, out var length))
        {
            throw new ArgumentException("The value contains a lone surrogate.", nameof(value));
        }

        var chars = new char[length * 3];
        var written = Encode<ValueRule>(utf8.AsSpan(0, length), chars);
        return new string(chars, 0, written);
    }

    /// <summary>
    /// Decodes a cookie value as js-cookie and the <c>cookie</c> package read it: each run of
    /// <c>%XX</c> escapes that is valid UTF-8 is decoded; malformed runs are left as they are.
    /// </summary>
    public static string DecodeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            return TryDecodeToUtf8(value, buffer, out var length)
                ? Encoding.UTF8.GetString(buffer, 0, length)
                : value;
        }
        finally
        {
            // Stryker disable once Statement : equivalent, giving a buffer back to the pool changes no result
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True for the characters the name rule leaves as they are (js-cookie's list included).</summary>
    private static bool KeptInName(byte b, bool encodeParentheses) => b switch
    {
        >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' => true,
        (byte)'-' or (byte)'_' or (byte)'.' or (byte)'!' or (byte)'~' or (byte)'*' or (byte)'\'' => true,
        (byte)'(' or (byte)')' => !encodeParentheses,
        // encodeURIComponent escapes these; js-cookie turns them back (its name rule).
        (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'^' or (byte)'`' or (byte)'|' => true,
        _ => false,
    };

    /// <summary>True for the characters the value rule leaves as they are: the name rule's (parentheses kept), and the escapes js-cookie turns back in values.</summary>
    private static bool KeptInValue(byte b) =>
        KeptInName(b, encodeParentheses: false) || b is (byte)'/' or (byte)':' or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'@' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}';

    /// <summary>Encodes UTF-8 bytes with the name rule into <paramref name="destination"/> (3 chars per byte at most).</summary>
    internal static int EncodeName(ReadOnlySpan<byte> utf8, Span<char> destination, bool encodeParentheses) =>
        encodeParentheses ? Encode<NameRule>(utf8, destination) : Encode<ServerNameRule>(utf8, destination);

    /// <summary>Percent-encodes UTF-8 bytes (uppercase hex), leaving the bytes the rule keeps as they are (a struct rule: the check is inlined).</summary>
    private static int Encode<TRule>(ReadOnlySpan<byte> utf8, Span<char> destination)
        where TRule : struct, IRule
    {
        const string Hex = "0123456789ABCDEF";
        var written = 0;
        foreach (var b in utf8)
        {
            if (TRule.Kept(b))
            {
                destination[written++] = (char)b;
            }
            else
            {
                destination[written++] = '%';
                destination[written++] = Hex[b >> 4];
                destination[written++] = Hex[b & 0xF];
            }
        }

        return written;
    }

    /// <summary>UTF-8 of a string; false on a lone surrogate (no browser cookie writer can produce one).</summary>
    internal static bool TryToUtf8(ReadOnlySpan<char> text, Span<byte> destination, out int written) =>
        Utf8.FromUtf16(text, destination, out _, out written, replaceInvalidSequences: false) == OperationStatus.Done;

    /// <summary>
    /// Percent-decodes a cookie value into UTF-8 bytes (<paramref name="destination"/> needs 3 bytes per
    /// char). Runs of <c>%XX</c> are decoded when the run is valid UTF-8 (as <c>decodeURIComponent</c>
    /// over the run), otherwise copied as text. False on a lone surrogate.
    /// </summary>
    internal static bool TryDecodeToUtf8(ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        written = 0;
        var i = 0;
        while (i < value.Length)
        {
            var percent = value[i..].IndexOf('%');
            var literal = percent < 0 ? value[i..] : value.Slice(i, percent);
            if (!TryToUtf8(literal, destination[written..], out var literalBytes))
            {
                return false;
            }

            written += literalBytes;
            i += literal.Length;
            if (percent < 0)
            {
                break;
            }

            // A run of %XX escapes, decoded into the destination and kept only if it is valid UTF-8.
            var runStart = i;
            var runBytes = 0;
            while (i + 2 < value.Length && value[i] == '%' && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                destination[written + runBytes++] = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 3;
            }

            if (runBytes > 0 && Utf8.IsValid(destination.Slice(written, runBytes)))
            {
                written += runBytes;
            }
            else
            {
                // Malformed run (or a lone '%'): keep the text of the run, and the '%' that stopped it.
                var end = runBytes > 0 ? i : i + 1;
                for (var k = runStart; k < end; k++)
                {
                    destination[written++] = (byte)value[k];
                }

                i = end;
            }
        }

        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Which bytes an encoding rule leaves as they are.</summary>
    private interface IRule
    {
        static abstract bool Kept(byte b);
    }

    /// <summary>js-cookie's name rule.</summary>
    private struct NameRule : IRule
    {
        public static bool Kept(byte b) => KeptInName(b, encodeParentheses: true);
    }

    /// <summary>Amplify's Next.js server adapter's name rule (parentheses kept).</summary>
    private struct ServerNameRule : IRule
    {
        public static bool Kept(byte b) => KeptInName(b, encodeParentheses: false);
    }

    /// <summary>js-cookie's value rule.</summary>
    private struct ValueRule : IRule
    {
        public static bool Kept(byte b) => KeptInValue(b);
    }
}
