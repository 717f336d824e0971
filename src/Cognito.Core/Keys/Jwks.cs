using System.Security.Cryptography;
using System.Text.Json;
using LanguageExt;

namespace Cognito;

/// <summary>
/// A JSON Web Key Set (RFC 7517 §5) as Cognito serves it at
/// <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}/.well-known/jwks.json</c>: a key source
/// for one pool. Every key must be RSA (<c>kty</c>), ≥ 2048 bits, with <c>use</c> absent or <c>sig</c>
/// and <c>alg</c> absent or <c>RS256</c>.
/// </summary>
public static class Jwks
{
    /// <summary>Parses a JWKS document for <paramref name="pool"/>; never throws on any input.</summary>
    public static Either<KeyLoadError, KeySet> Parse(UserPool pool, string? json)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var source = $"JWKS of user pool {pool.UserPoolId} (region {pool.Region})";
        if (string.IsNullOrWhiteSpace(json))
        {
            return new KeyLoadError($"{source} is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return new KeyLoadError($"{source} is not JSON: is the address a JWKS endpoint?");
        }
        catch (ArgumentException)
        {
            // A string no UTF-8 can carry (an unpaired UTF-16 surrogate): the JSON reader cannot transcode it.
            return new KeyLoadError($"{source} is not JSON: it holds an unpaired UTF-16 surrogate");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keysElement)
                || keysElement.ValueKind != JsonValueKind.Array)
            {
                return new KeyLoadError($"{source} is not a JWKS document (expected {{\"keys\": [...]}})");
            }

            if (keysElement.GetArrayLength() == 0)
            {
                return new KeyLoadError($"{source} has no keys");
            }

            var keys = new KeyCollector();
            var index = 0;
            foreach (var jwk in keysElement.EnumerateArray())
            {
                if (keys.Add(ParseKey(pool, jwk, index++).Bind(key => NotYetIn(keys, key, source))) is { } refused)
                {
                    return refused;
                }
            }

            return keys.ToKeySet();
        }
    }

    /// <summary>A key whose kid the document has not used before; a kid twice refuses the whole document.</summary>
    private static Either<KeyLoadError, PoolKey> NotYetIn(KeyCollector keys, PoolKey key, string source)
    {
        if (!keys.Holds(key.Kid))
        {
            return key;
        }

        // Stryker disable once Statement : equivalent, releases a key that is being thrown away; nothing reads it after
        key.Rsa.Dispose();
        return new KeyLoadError($"{source} has the kid '{key.Kid}' twice");
    }

    private static Either<KeyLoadError, PoolKey> ParseKey(UserPool pool, JsonElement jwk, int index)
    {
        var source = $"JWKS of user pool {pool.UserPoolId} (region {pool.Region})";
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return new KeyLoadError($"{source}: key #{index} is not an object");
        }

        if (String(jwk, "kid") is not { Length: > 0 } kid)
        {
            return new KeyLoadError($"{source}: key #{index} has no kid");
        }

        var where = $"{source}: key '{kid}'";
        if (String(jwk, "kty") != "RSA")
        {
            return new KeyLoadError($"{where} is not an RSA key (kty {Describe(jwk, "kty")}); Cognito signs with RSA only");
        }

        if (jwk.TryGetProperty("use", out _) && String(jwk, "use") != "sig")
        {
            return new KeyLoadError($"{where} has use {Describe(jwk, "use")}, not sig");
        }

        if (jwk.TryGetProperty("alg", out _) && String(jwk, "alg") != "RS256")
        {
            return new KeyLoadError($"{where} has alg {Describe(jwk, "alg")}, not RS256");
        }

        var modulus = Base64Url(jwk, "n");
        var exponent = Base64Url(jwk, "e");
        if (modulus is null || exponent is null || modulus.Length == 0 || exponent.Length == 0)
        {
            return new KeyLoadError($"{where} has no valid base64url modulus n and exponent e");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = TrimLeadingZeros(modulus), Exponent = TrimLeadingZeros(exponent) });
        }
        catch (CryptographicException e)
        {
            // Stryker disable once Statement : equivalent, releases a key that is being thrown away; nothing reads it after
            rsa.Dispose();
            return new KeyLoadError($"{where} is not a usable RSA key ({e.Message.TrimEnd('.')})");
        }

        if (KeySet.Check(pool, kid, rsa) is { } problem)
        {
            // Stryker disable once Statement : equivalent, releases a key that is being thrown away; nothing reads it after
            rsa.Dispose();
            return new KeyLoadError($"{source}: {problem}");
        }

        return new PoolKey(pool, kid, rsa);
    }

    private static string? String(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(JsonElement jwk, string name) =>
        String(jwk, name) is { } text ? $"'{text}'" : "missing or not a string";

    private static byte[]? Base64Url(JsonElement jwk, string name)
    {
        if (String(jwk, name) is not { } text)
        {
            return null;
        }

        var bytes = new byte[Math.Max(0, TokenText.DecodedLength(text.Length))];
        return TokenText.TryDecode(text, bytes, out var written) ? bytes[..written] : null;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
