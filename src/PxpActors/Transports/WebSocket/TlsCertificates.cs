using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PxpActors.Transports.WebSocket;

/// <summary>The certificates of wss://: the one a listener presents, and those a connecting node trusts besides the system's.</summary>
internal static class TlsCertificates
{
    /// <summary>
    /// The listener's certificate with its private key, from <see cref="WebSocketSettings.Certificate"/>; an
    /// <see cref="ArgumentException"/> naming the key and what is wrong when it is missing, unreadable or expired.
    /// </summary>
    public static X509Certificate2 LoadServerCertificate(WebSocketSettings settings)
    {
        var path = settings.Certificate
            ?? throw new ArgumentException("wss:// needs a certificate: set pxp.websocket.tls.certificate to a PEM or PKCS#12 file");
        if (!File.Exists(path)) throw new ArgumentException($"pxp.websocket.tls.certificate: no such file {path}");
        if (settings.Key is { } key && !File.Exists(key)) throw new ArgumentException($"pxp.websocket.tls.key: no such file {key}");
        X509Certificate2 certificate;
        try
        {
            certificate = IsPkcs12(path)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, settings.Password)
                : settings.Password is { } password
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, password, settings.Key ?? path)
                    : X509Certificate2.CreateFromPemFile(path, settings.Key ?? path);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"pxp.websocket.tls.certificate: {path} is not a certificate with its private key ({e.Message})", e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"pxp.websocket.tls.certificate: {path} has no private key (set pxp.websocket.tls.key)");
        }
        if (certificate.NotAfter < DateTime.Now)
        {
            var expired = certificate.NotAfter;
            certificate.Dispose();
            throw new ArgumentException($"pxp.websocket.tls.certificate: {path} expired on {expired:yyyy-MM-dd}");
        }
        return certificate;
    }

    /// <summary>
    /// How a connecting node judges a server's certificate: the system's verdict, or else a chain to one of
    /// <see cref="WebSocketSettings.TrustedCertificates"/> (never a wrong host name). Null: the system's alone.
    /// </summary>
    public static RemoteCertificateValidationCallback? ClientValidation(WebSocketSettings settings)
    {
        if (settings.TrustedCertificates is not { } path) return null;
        if (!File.Exists(path)) throw new ArgumentException($"pxp.websocket.tls.trusted-certificates: no such file {path}");
        var trusted = new X509Certificate2Collection();
        try
        {
            trusted.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"pxp.websocket.tls.trusted-certificates: {path} is not a PEM certificate file ({e.Message})", e);
        }
        if (trusted.Count == 0) throw new ArgumentException($"pxp.websocket.tls.trusted-certificates: {path} holds no certificate");
        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
            if (chain is not null)
                foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return custom.Build(leaf);
        };
    }

    private static bool IsPkcs12(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12";
}
