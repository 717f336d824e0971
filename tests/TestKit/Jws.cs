using System.Security.Cryptography;
using System.Text;

namespace Cognito.TestKit;

/// <summary>JWS compact serialisation (RFC 7515 §7.1) with any header and payload text, for tests.</summary>
public static class Jws
{
    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    /// <summary>Signs <c>base64url(header).base64url(payload)</c> with RS256.</summary>
    public static string Sign(string headerJson, string payloadJson, RSA key) =>
        SignWith(headerJson, payloadJson, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>Signs with any signature function (HS256 forgeries, RS512, PS256, …).</summary>
    public static string SignWith(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var input = $"{Base64Url(headerJson)}.{Base64Url(payloadJson)}";
        return $"{input}.{Base64Url(sign(Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>The decoded payload JSON of a token.</summary>
    public static string PayloadJson(string token) => Encoding.UTF8.GetString(FromBase64Url(token.Split('.')[1]));
}
