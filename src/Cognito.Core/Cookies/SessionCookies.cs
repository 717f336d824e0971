using System.Buffers;

namespace Cognito;

/// <summary>The token cookies of one Amplify session, as text (slices of the header where possible).</summary>
internal readonly record struct SessionCookies(
    ReadOnlyMemory<char> IdToken,
    ReadOnlyMemory<char> AccessToken,
    ReadOnlyMemory<char>? RefreshToken);
