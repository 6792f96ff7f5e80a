using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsSecurityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

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

    /// <summary>A plain BouncyCastle DTLS 1.2 client that neither offers nor needs RFC 7627.</summary>
    private sealed class LegacyClient() : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override bool ShouldUseExtendedMasterSecret() => false;

        public override bool RequiresExtendedMasterSecret() => false;

        public override TlsAuthentication GetAuthentication() => new AcceptAnything();

        public override int GetHandshakeResendTimeMillis() => 100;

        private sealed class AcceptAnything : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                // This client only exists to be refused; it never gets this far.
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
        }
    }
}
