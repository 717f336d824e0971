using System.Security.Cryptography;

namespace Cognito;

/// <summary>The Signature stage.</summary>
internal static class Rs256
{
    /// <summary>The Signature stage: RS256 = RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).</summary>
    internal static bool Verifies(PoolKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != key.ModulusBytes)
        {
            return false;
        }

        try
        {
            return key.Rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A signature the provider cannot even process is a bad signature, not a crash.
            return false;
        }
    }
}
