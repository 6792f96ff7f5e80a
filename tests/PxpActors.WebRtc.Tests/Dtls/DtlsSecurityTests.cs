using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Datagrams;
using Xunit;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsSecurityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    [Fact]
    public async Task Handshake_must_negotiate_ECDHE_ECDSA_AES128_GCM_with_extended_master_secret()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 11, autoDeliver: true);
        var client = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client());
        var server = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());
        await Task.WhenAll(client, server).WaitAsync(Patience);

        foreach (var side in new[] { await client, await server })
        {
            Assert.Equal(new DtlsNegotiatedSecurity(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ExtendedMasterSecret: true,
                NamedGroup.x25519), side.Negotiated);
            await side.DisposeAsync();
        }
    }

    [Fact]
    public async Task Server_must_refuse_a_client_that_does_not_offer_extended_master_secret()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 12, autoDeliver: true);
        var server = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());
        var legacy = new BlockingDatagramTransport(bridge.Left, 64);

        var legacyClient = Task.Run(() => new DtlsClientProtocol().Connect(new LegacyClient(), legacy));

        var error = await Assert.ThrowsAsync<DtlsException>(() => server.WaitAsync(Patience));
        Assert.Contains("did not negotiate the extended master secret", error.Message);
        await Assert.ThrowsAnyAsync<IOException>(() => legacyClient.WaitAsync(Patience));
        legacy.Close();
        await bridge.Left.DisposeAsync();
        await legacy.StopPumpAsync();
    }

    [Fact]
    public void We_must_offer_only_the_AEAD_suites_libwebrtc_and_Chromium_accept()
    {
        Assert.Equal([
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ], DtlsCipherSuites.Preferred);
        Assert.All(DtlsCipherSuites.Preferred, suite => Assert.Equal(CipherType.aead, TlsUtilities.GetCipherType(suite)));
    }

    [Fact]
    public async Task Server_must_refuse_a_client_that_offers_only_CBC_suites()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 15, autoDeliver: true);
        var server = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());
        var cbc = new BlockingDatagramTransport(bridge.Left, 64);

        var cbcClient = Task.Run(() => new DtlsClientProtocol().Connect(new CbcOnlyClient(), cbc));

        var error = await Assert.ThrowsAsync<DtlsException>(() => server.WaitAsync(Patience));
        Assert.Contains("handshake_failure", error.Message);
        await Assert.ThrowsAnyAsync<IOException>(() => cbcClient.WaitAsync(Patience));
        cbc.Close();
        await bridge.Left.DisposeAsync();
        await cbc.StopPumpAsync();
    }

    [Fact]
    public async Task Client_must_fail_closed_when_the_server_key_exchange_is_not_signed_by_the_announced_certificate()
    {
        // The impostor presents the certificate whose fingerprint was announced, but has not got its private key.
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 13, autoDeliver: true);
        await using var prepared = DtlsConnection.Prepare(peers.ClientCertificate, peers.Settings);
        var client = prepared.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Left), DtlsRole.Client, peers.ServerCertificate.Fingerprint);
        var transport = new BlockingDatagramTransport(bridge.Right, 64);
        var impostor = new ImpostorServer(peers.ServerCertificate, DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)));

        var impostorRun = Task.Run(() => new DtlsServerProtocol { VerifyRequests = false }.Accept(impostor, transport));

        var error = await Assert.ThrowsAsync<DtlsException>(() => client.WaitAsync(Patience));
        Assert.Contains("decrypt_error", error.Message);
        await Assert.ThrowsAnyAsync<IOException>(() => impostorRun.WaitAsync(Patience));
        Assert.True(bridge.Left.IsClosed, "the failed handshake released its path");
        transport.Close();
        await bridge.Right.DisposeAsync();
        await transport.StopPumpAsync();
    }

    [Fact]
    public async Task Server_must_fail_closed_when_the_certificate_verify_is_not_signed_by_the_announced_certificate()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 14, autoDeliver: true);
        await using var prepared = DtlsConnection.Prepare(peers.ServerCertificate, peers.Settings);
        var server = prepared.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Right), DtlsRole.Server, peers.ClientCertificate.Fingerprint);
        var transport = new BlockingDatagramTransport(bridge.Left, 64);
        var impostor = new ImpostorClient(peers.ClientCertificate, DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)));

        var impostorRun = Task.Run(() => new DtlsClientProtocol().Connect(impostor, transport));

        var error = await Assert.ThrowsAsync<DtlsException>(() => server.WaitAsync(Patience));
        Assert.Contains("decrypt_error", error.Message);
        await Assert.ThrowsAnyAsync<IOException>(() => impostorRun.WaitAsync(Patience));
        Assert.True(bridge.Right.IsClosed, "the failed handshake released its path");
        transport.Close();
        await bridge.Left.DisposeAsync();
        await transport.StopPumpAsync();
    }

    /// <summary>Signs with <paramref name="signingKey"/>'s key while presenting <paramref name="presented"/>.</summary>
    private static TlsCredentialedSigner ImpostorSigner(TlsContext context, TlsCrypto crypto, DtlsCertificate presented, DtlsCertificate signingKey) =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto)crypto, signingKey.PrivateKey,
            new Certificate([crypto.CreateCertificate(presented.Der)]), EcdsaSha256);

    /// <summary>A BouncyCastle DTLS 1.2 server whose ServerKeyExchange signature does not belong to its certificate.</summary>
    private sealed class ImpostorServer(DtlsCertificate presented, DtlsCertificate signingKey) : DefaultTlsServer(new BcTlsCrypto(new SecureRandom()))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Preferred);

        protected override TlsCredentialedSigner GetECDsaSignerCredentials() => ImpostorSigner(m_context, Crypto, presented, signingKey);

        public override int GetHandshakeResendTimeMillis() => 100;
    }

    /// <summary>A BouncyCastle DTLS 1.2 client whose CertificateVerify signature does not belong to its certificate.</summary>
    private sealed class ImpostorClient(DtlsCertificate presented, DtlsCertificate signingKey) : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override TlsAuthentication GetAuthentication() =>
            new Credentials(() => ImpostorSigner(m_context, Crypto, presented, signingKey));

        public override int GetHandshakeResendTimeMillis() => 100;

        private sealed class Credentials(Func<TlsCredentials> signer) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                // The impostor does not care who the server is; the server is what is under test.
            }

            public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => signer();
        }
    }

    /// <summary>A BouncyCastle DTLS 1.2 client of an older stack: ECDHE-ECDSA with AES-CBC and HMAC-SHA1 only.</summary>
    private sealed class CbcOnlyClient() : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() =>
            [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA];

        public override TlsAuthentication GetAuthentication() => new LegacyClient.AcceptAnything();

        public override int GetHandshakeResendTimeMillis() => 100;
    }

    /// <summary>A plain BouncyCastle DTLS 1.2 client that neither offers nor needs RFC 7627.</summary>
    private sealed class LegacyClient() : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override bool ShouldUseExtendedMasterSecret() => false;

        public override bool RequiresExtendedMasterSecret() => false;

        public override TlsAuthentication GetAuthentication() => new AcceptAnything();

        public override int GetHandshakeResendTimeMillis() => 100;

        public sealed class AcceptAnything : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                // These clients only exist to be refused; they never get this far.
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
        }
    }
}
