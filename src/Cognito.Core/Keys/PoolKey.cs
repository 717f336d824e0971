using System.Security.Cryptography;
using System.Text;

namespace Cognito;

/// <summary>One public key of a user pool: its kid and an RSA key object created once, at load.</summary>
public sealed class PoolKey
{
    internal PoolKey(UserPool pool, string kid, RSA rsa)
    {
        Pool = pool;
        Kid = kid;
        Rsa = rsa;
        KidUtf8 = Encoding.UTF8.GetBytes(kid);
        ModulusBytes = rsa.KeySize / 8;
        Identity = new KeyIdentity(pool.Issuer, kid, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The same key, however it was loaded: pool, kid and public key bytes.</summary>
    internal KeyIdentity Identity { get; }

    /// <summary>The pool the key belongs to.</summary>
    public UserPool Pool { get; }

    /// <summary>The key id (<c>kid</c>).</summary>
    public string Kid { get; }

    /// <summary>The modulus size in bits.</summary>
    public int KeySizeInBits => Rsa.KeySize;

    internal RSA Rsa { get; }

    internal byte[] KidUtf8 { get; }

    internal int ModulusBytes { get; }

    /// <summary>The key as an SPKI PEM (<c>-----BEGIN PUBLIC KEY-----</c>), the form pems.json holds.</summary>
    public string ToPem() => Rsa.ExportSubjectPublicKeyInfoPem() + "\n";
}
