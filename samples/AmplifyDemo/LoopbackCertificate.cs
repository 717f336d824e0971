using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cognito.AmplifyDemo;

/// <summary>
/// The sample's https certificate, made at start for its host names and loopback, valid for a day, never
/// written to disk and never trusted by the machine: a browser is told to accept exactly this key
/// (Chromium's <c>--ignore-certificate-errors-spki-list</c> with <see cref="SpkiSha256"/>), or the
/// person at it accepts the warning once.
/// </summary>
public static class LoopbackCertificate
{
    /// <summary>A self-signed server certificate for <paramref name="hostNames"/>, <c>localhost</c>, 127.0.0.1 and ::1.</summary>
    public static X509Certificate2 Create(IEnumerable<string> hostNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Cognito AmplifyDemo (development only)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Through PKCS#12 so the private key is usable by TLS on every platform (an ephemeral key is not on Windows).
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's SPKI allow-list takes.</summary>
    public static string SpkiSha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
