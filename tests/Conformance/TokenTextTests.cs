namespace Cognito.Conformance;

/// <summary>
/// The Structure stage's token text on its own: splitting a compact JWS into three non-empty segments, and decoding
/// base64url strictly — no padding, nothing outside the alphabet, one spelling per byte string.
/// </summary>
public sealed class TokenTextTests
{
    private static byte[]? Decode(string text)
    {
        var buffer = new byte[text.Length];
        return TokenText.TryDecode(text, buffer, out var written) ? buffer[..written] : null;
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("AA", "00")]
    [InlineData("AAA", "0000")]
    [InlineData("AAAA", "000000")]
    [InlineData("AAAAAA", "00000000")]
    [InlineData("AAAAAAA", "0000000000")]
    [InlineData("_w", "FF")]
    [InlineData("__8", "FFFF")]
    [InlineData("____", "FFFFFF")]
    [InlineData("-_-_", "FBFFBF")]
    [InlineData("AQ", "01")]
    [InlineData("AQI", "0102")]
    [InlineData("AQID", "010203")]
    [InlineData("AQIDBA", "01020304")]
    [InlineData("AQIDBAU", "0102030405")]
    [InlineData("gA", "80")]
    [InlineData("gIA", "8080")]
    [InlineData("eyJhIjoxfQ", "7B2261223A317D")]
    [InlineData("Zm9vYmFy", "666F6F626172")]
    [InlineData("Zm9vYmE", "666F6F6261")]
    [InlineData("Zm9vYg", "666F6F62")]
    public void Canonical_base64url_decodes_to_its_bytes(string text, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), Decode(text));
        Assert.Equal(hex.Length / 2, TokenText.DecodedLength(text.Length));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AAAAA")]
    [InlineData("AB")]
    [InlineData("AP")]
    [InlineData("AAB")]
    [InlineData("AAD")]
    [InlineData("_x")]
    [InlineData("__9")]
    [InlineData("AA==")]
    [InlineData("AAA=")]
    [InlineData("AA=")]
    [InlineData("A=")]
    [InlineData("A+")]
    [InlineData("+A")]
    [InlineData("A/")]
    [InlineData("AA+")]
    [InlineData("+AA")]
    [InlineData("A+A")]
    [InlineData("AAA+")]
    [InlineData("+AAA")]
    [InlineData("AAAA+A")]
    [InlineData("AAAAA+")]
    [InlineData("AAAA+AA")]
    [InlineData("AAAAA+A")]
    [InlineData("AAAAAA+")]
    [InlineData("A A ")]
    [InlineData("AA A")]
    [InlineData("AA\n")]
    [InlineData("A.")]
    [InlineData("A\u0080")]
    [InlineData("\u0080A")]
    [InlineData("AA\u0080")]
    [InlineData("A\u0080A")]
    [InlineData("\u00ffAA")]
    [InlineData("AAAA\u0100A")]
    [InlineData("AAAAA\uffff")]
    [InlineData("A\u007f")]
    [InlineData("AAAA\u007fA")]
    public void Anything_else_is_refused(string text)
    {
        var buffer = new byte[16];
        Assert.False(TokenText.TryDecode(text, buffer, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void A_destination_too_small_is_refused_not_overrun()
    {
        var buffer = new byte[2];
        Assert.False(TokenText.TryDecode("AQID", buffer, out var written));
        Assert.Equal(0, written);
        Assert.True(TokenText.TryDecode("AQI", buffer, out written));
        Assert.Equal(2, written);
        Assert.False(TokenText.TryDecode("AAAAA", new byte[64], out written));
        Assert.Equal(0, written);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, -1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, -1)]
    [InlineData(6, 4)]
    [InlineData(7, 5)]
    [InlineData(8, 6)]
    [InlineData(342, 256)]
    public void The_decoded_length_follows_from_the_text_length(int textLength, int bytes) =>
        Assert.Equal(bytes, TokenText.DecodedLength(textLength));

    [Theory]
    [InlineData("a.b.c", "a", "b", "c")]
    [InlineData("aa.bbb.cccc", "aa", "bbb", "cccc")]
    public void A_token_splits_into_three_segments(string token, string header, string payload, string signature)
    {
        var segments = TokenText.Split(token);
        Assert.NotNull(segments);
        var s = segments.Value;
        Assert.Equal((header, payload, signature), (token[s.Header], token[s.Payload], token[s.Signature]));
        Assert.Equal(header + "." + payload, token[s.SigningInput]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData(".b.c")]
    [InlineData("a..c")]
    [InlineData("a.b.")]
    [InlineData("..")]
    [InlineData("a.b.c.d")]
    [InlineData("a.b.c.")]
    [InlineData(".")]
    public void Anything_but_three_non_empty_segments_is_refused(string token) =>
        Assert.Null(TokenText.Split(token));
}
