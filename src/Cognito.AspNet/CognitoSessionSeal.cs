using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Cognito.AspNet;

/// <summary>
/// The session endpoint's answer for a listener on the server that learns about the browser's session
/// through the browser (a Blazor Server circuit, via JS interop): the session's claims, sealed with
/// ASP.NET Core Data Protection for one nonce the listener chose and for two minutes. What comes back
/// through the browser can be replayed or made up by its user; a seal cannot be made without the app's
/// key ring, and one made for an earlier nonce (an old answer kept to stay signed in) does not open.
/// </summary>
/// <remarks>
/// <c>GET /auth/session?circuit=NONCE</c> adds <c>"seal"</c> to a signed-in answer. The listener makes
/// the nonce with <see cref="NewNonce"/>, asks, and opens the seal with <see cref="Open"/>. Behind a load
/// balancer every instance needs the shared Data Protection key ring (as the sign-in flow cookie does).
/// </remarks>
public static class CognitoSessionSeal
{
    /// <summary>The query parameter of <c>/auth/session</c> that asks for a seal.</summary>
    public const string QueryName = "circuit";

    /// <summary>How long a seal opens after it was made.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const string Purpose = "Cognito.AspNet.CognitoSessionSeal.v1";

    /// <summary>A new nonce: 128 random bits, base64url (22 characters).</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="nonce"/> has the form the session endpoint accepts: 16 to 64 base64url characters.</summary>
    public static bool IsNonce(string? nonce) =>
        nonce is { Length: >= 16 and <= 64 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// The principal sealed in <paramref name="seal"/> for <paramref name="nonce"/>, or null: no seal, a seal
    /// not made by this app's key ring, older than <see cref="Lifetime"/>, or made for another nonce.
    /// The identity has the adapter's claims, its authentication type and name/role claim types (groups as roles).
    /// </summary>
    public static ClaimsPrincipal? Open(IDataProtectionProvider dataProtection, string? seal, string nonce)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        if (string.IsNullOrEmpty(seal) || !IsNonce(nonce))
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = Protector(dataProtection).Unprotect(Base64Url.DecodeFromChars(seal), out _);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (!CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(root.GetProperty("n").GetString() ?? ""),
                    System.Text.Encoding.UTF8.GetBytes(nonce)))
            {
                return null;
            }

            var claims = new List<Claim>();
            foreach (var claim in root.GetProperty("c").EnumerateArray())
            {
                claims.Add(new Claim(claim[0].GetString()!, claim[1].GetString()!, claim[2].GetString()!, claim[3].GetString()!));
            }

            return new ClaimsPrincipal(new ClaimsIdentity(claims, root.GetProperty("a").GetString(), ClaimTypes.Name, ClaimTypes.Role));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or ArgumentException)
        {
            return null; // sealed by this key ring but not in this version's shape
        }
    }

    /// <summary>Seals <paramref name="identity"/>'s claims for <paramref name="nonce"/>.</summary>
    internal static string Seal(IDataProtectionProvider dataProtection, ClaimsIdentity identity, string nonce)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("n", nonce);
            json.WriteString("a", identity.AuthenticationType);
            json.WriteStartArray("c");
            foreach (var claim in identity.Claims)
            {
                json.WriteStartArray();
                json.WriteStringValue(claim.Type);
                json.WriteStringValue(claim.Value);
                json.WriteStringValue(claim.ValueType);
                json.WriteStringValue(claim.Issuer);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Base64Url.EncodeToString(Protector(dataProtection).Protect(stream.ToArray(), Lifetime));
    }

    // One protector per key ring (made once: creating one per seal cost more than the sealing).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDataProtectionProvider, ITimeLimitedDataProtector> Protectors = new();

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider dataProtection) =>
        Protectors.GetValue(dataProtection, static p => p.CreateProtector(Purpose).ToTimeLimitedDataProtector());
}
