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
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = JsonShape.MaxDepth + 1 });
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
            else if (reader.ValueTextEquals("crit"u8))
            {
                crit = true;
                reader.Read();
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return new JoseHeader { IsRs256 = rs256, HasKid = hasKid, HasCrit = crit, Kid = kidBuffer[..kidLength] };
    }
}
