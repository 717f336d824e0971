using System.Text;

namespace Cognito.AspNet;

/// <summary>How an app client with a secret authenticates to the token endpoint (the development pool checks it with its own copy of the rule).</summary>
internal static class ClientAuthentication
{
    /// <summary>RFC 6749 §2.3.1: the client id and secret form-urlencoded, joined by a colon, base64 — the credentials of an HTTP Basic header.</summary>
    internal static string BasicCredentials(string clientId, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));
}
