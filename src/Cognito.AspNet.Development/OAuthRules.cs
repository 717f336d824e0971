using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet.Development;

/// <summary>
/// The pool's side of the rules its clients follow, written here apart from the client's
/// (<c>Cognito.AspNet</c>'s sign-in flow): a helper shared by both sides would let a mistake in it pass
/// the end-to-end tests unseen.
/// </summary>
internal static class OAuthRules
{
    /// <summary>RFC 7636 §4.2: the S256 code challenge of a verifier, base64url(SHA-256(ASCII(verifier))).</summary>
    internal static string S256Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>RFC 6749 §2.3.1: the client id and secret form-urlencoded, joined by a colon, base64 — HTTP Basic credentials.</summary>
    internal static string BasicCredentials(string clientId, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    /// <summary>No other site may frame the sign-in form (clickjacking): CSP frame-ancestors, and X-Frame-Options for older browsers.</summary>
    internal static void NotFramed(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
