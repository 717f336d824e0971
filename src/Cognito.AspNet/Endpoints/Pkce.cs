using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cognito.AspNet;

/// <summary>Proof Key for Code Exchange (RFC 7636), S256 only, for the sign-in flow (the development pool checks it with its own copy of the rule).</summary>
internal static class Pkce
{
    /// <summary>A random value of 256 bits as 43 base64url characters: a state, or a code verifier (RFC 7636 §4.1's minimum length).</summary>
    internal static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2).</summary>
    internal static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
