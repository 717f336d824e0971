using System.Buffers;
using System.Buffers.Text;

namespace Cognito;

/// <summary>The three segments of a JWS compact token, as ranges of its text.</summary>
internal readonly record struct TokenSegments(Range Header, Range Payload, Range Signature)
{
    /// <summary>The signing input <c>header.payload</c>.</summary>
    public Range SigningInput => new(Header.Start, Payload.End);
}
