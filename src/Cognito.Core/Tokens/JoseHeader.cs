using System.Text.Json;

namespace Cognito;

/// <summary>What the verifier reads of a JOSE header: whether alg is RS256, the kid, and crit.</summary>
internal readonly ref struct JoseHeader
{
    internal bool IsRs256 { get; init; }
    internal bool HasKid { get; init; }
    internal bool HasCrit { get; init; }
    internal ReadOnlySpan<byte> Kid { get; init; }

    /// <summary>
    /// Reads a header that passed <see cref="JsonShape.Check(ReadOnlySpan{byte})"/>. The kid is unescaped into
    /// <paramref name="kidBuffer"/> (as long as the header at most). <c>jku</c>, <c>x5u</c>, <c>jwk</c> and
    /// <c>x5c</c> are deliberately not read: keys come only from the configured key set.
    /// </summary>
    internal static JoseHeader Read(ReadOnlySpan<byte> header, Span<byte> kidBuffer)
    {
        // JsonShape has bounded the depth (16) below the reader's default limit (64).
        var reader = new Utf8JsonReader(header);
        reader.Read();
        bool rs256 = false, hasKid = false, crit = false;
        var kidLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("alg"u8))
            {
                reader.Read();
                rs256 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("RS256"u8);
            }
            else if (reader.ValueTextEquals("kid"u8))
            {
                reader.Read();
                hasKid = reader.TokenType == JsonTokenType.String;
                kidLength = hasKid ? reader.CopyString(kidBuffer) : 0;
            }
            else
            {
                crit |= reader.ValueTextEquals("crit"u8);
            }

            // On a member name: skips its value; on a value just read: skips it if it is a container.
            reader.Skip();
        }

        return new JoseHeader { IsRs256 = rs256, HasKid = hasKid, HasCrit = crit, Kid = kidBuffer[..kidLength] };
    }
}
