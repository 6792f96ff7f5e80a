using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>Handshake flights leave as few datagrams as the path allows (RFC 6347 section 4.1.1), application data one record each.</summary>
public sealed class DtlsFlightPackingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_handshake_flight_must_travel_in_one_datagram_on_a_clean_path()
    {
        // No retransmission may blur the count: the first handshake of a test run can be slow (JIT).
        var peers = new DtlsTestPeers
        {
            Settings = DtlsSettings.Default with { HandshakeTimeout = TimeSpan.FromSeconds(60), InitialRetransmitInterval = TimeSpan.FromSeconds(30) },
        };
        var bridge = new DatagramBridge(seed: 13, autoDeliver: true);

        var client = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client());
        var server = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());
        var connectedClient = await client.WaitAsync(Patience);
        var connectedServer = await server.WaitAsync(Patience);

        // Client: ClientHello, then Certificate..Finished. Server: ServerHello..ServerHelloDone, then ChangeCipherSpec+Finished.
        Assert.Equal((2, 2), (bridge.LeftToRight.SentCount, bridge.RightToLeft.SentCount));

        await connectedClient.SendAsync(new byte[] { 1 });
        await connectedClient.SendAsync(new byte[] { 2 });
        Assert.Equal(4, bridge.LeftToRight.SentCount); // after the handshake nothing waits to be packed
        var buffer = new byte[16];
        Assert.Equal(1, await connectedServer.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
        Assert.Equal(1, buffer[0]);
        await connectedClient.DisposeAsync();
        await connectedServer.DisposeAsync();
    }
}
