using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PxpActors.TestSupport.Tls;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made by the test, as PEM files in a folder of its own
/// (certificate, private key, and both in one file): what wss:// listeners present and connecting nodes are told to
/// trust. Disposal deletes the folder.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    /// <summary>The certificate alone (PEM): what a connecting node trusts.</summary>
    public string CertificateFile => Path.Combine(Folder, "cert.pem");

    /// <summary>The private key alone (PEM).</summary>
    public string KeyFile => Path.Combine(Folder, "key.pem");

    /// <summary>Certificate and key in one PEM file.</summary>
    public string CombinedFile => Path.Combine(Folder, "combined.pem");

    public static TestCertificate Create(string subject = "pxp-test")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var folder = Directory.CreateTempSubdirectory("pxp-cert-").FullName;
        var result = new TestCertificate(folder);
        var certPem = certificate.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        File.WriteAllText(result.CertificateFile, certPem);
        File.WriteAllText(result.KeyFile, keyPem);
        File.WriteAllText(result.CombinedFile, certPem + keyPem);
        return result;
    }

    /// <summary>The HOCON of a node that presents this certificate on wss:// and trusts it when connecting.</summary>
    public string Hocon =>
        $"pxp.websocket.tls {{ certificate = \"{CombinedFile}\", trusted-certificates = \"{CertificateFile}\" }}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Gone already.
        }
    }
}
