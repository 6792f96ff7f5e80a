using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class AssociationSetupTests
{
    [Fact]
    public void Association_must_establish_when_one_side_connects_and_the_other_answers_statelessly()
    {
        var net = new SctpTestNetwork();
        net.Connect(both: false);
        var a = Assert.Single(net.EventsA.OfType<SctpEvent.Established>());
        Assert.Single(net.EventsB.OfType<SctpEvent.Established>());
        Assert.Equal((ushort)65535, a.OutboundStreams);
        Assert.True(a.PeerSupportsPartialReliability && a.PeerSupportsStreamReset);
    }

    [Fact]
    public void Association_must_establish_when_both_sides_connect_at_once_as_WebRTC_peers_do()
    {
        var net = new SctpTestNetwork();
        net.Connect(both: true);
        Assert.Single(net.EventsA.OfType<SctpEvent.Established>());
        Assert.Single(net.EventsB.OfType<SctpEvent.Established>());
        Assert.True(net.A.TrySend(1, 51, "ping"u8.ToArray()));
        Assert.True(net.B.TrySend(2, 51, "pong"u8.ToArray()));
        net.RunUntil(() => net.MessagesAtA.Any() && net.MessagesAtB.Any(), TimeSpan.FromSeconds(5));
        Assert.Equal("ping"u8.ToArray(), net.MessagesAtB.Single().Data.ToArray());
        Assert.Equal("pong"u8.ToArray(), net.MessagesAtA.Single().Data.ToArray());
    }

    [Fact]
    public void Handshake_must_survive_lost_INIT_and_lost_COOKIE_ECHO()
    {
        var net = new SctpTestNetwork();
        var dropped = new HashSet<ChunkType>();
        net.FilterAToB = packet =>
        {
            var type = SctpPacket.Parse(packet).Chunks[0].Type;
            return type is not (ChunkType.Init or ChunkType.CookieEcho) || !dropped.Add(type);
        };
        net.A.Connect();
        net.RunUntil(() => net.A.State == SctpAssociationState.Established && net.B.State == SctpAssociationState.Established, TimeSpan.FromSeconds(30));
        Assert.Equal([ChunkType.Init, ChunkType.CookieEcho], dropped.Order());
    }

    [Fact]
    public void Handshake_must_give_up_with_a_clear_reason_when_the_peer_never_answers()
    {
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { MaxInitRetransmits = 3 });
        net.FilterAToB = _ => false;
        net.A.Connect();
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(5));
        var closed = Assert.Single(net.EventsA.OfType<SctpEvent.Closed>());
        Assert.True(closed.Aborted);
        Assert.Contains("handshake timed out", closed.Reason);
        Assert.Null(net.A.NextTimeout);
    }

    [Fact]
    public void Forged_state_cookie_must_be_refused()
    {
        var net = new SctpTestNetwork();
        net.FilterAToB = packet =>
        {
            if (SctpPacket.Parse(packet).Chunks[0] is not CookieEchoChunk echo)
                return true;
            var forged = echo.Cookie.ToArray();
            forged[10] ^= 0xFF; // a different local tag, as an attacker would try
            var parsed = SctpPacket.Parse(packet);
            net.B.HandlePacket(new SctpPacket(parsed.SourcePort, parsed.DestinationPort, parsed.VerificationTag, [new CookieEchoChunk(forged)]).ToArray());
            return false;
        };
        net.A.Connect();
        net.RunFor(TimeSpan.FromMilliseconds(500));
        Assert.Equal(SctpAssociationState.Idle, net.B.State);
        Assert.Contains("signature", net.B.LastDropReason);
    }

    [Fact]
    public void Stale_state_cookie_must_be_refused()
    {
        var net = new SctpTestNetwork(optionsB: new SctpAssociationOptions { CookieLifetime = TimeSpan.FromMilliseconds(5) });
        // The network delay (10 ms each way) is longer than the cookie's life.
        net.A.Connect();
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.Equal(SctpAssociationState.Idle, net.B.State);
        Assert.Contains("stale", net.B.LastDropReason);
    }

    [Fact]
    public void Packet_with_wrong_verification_tag_or_checksum_must_be_dropped()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        var before = net.B.PacketsDropped;
        net.B.HandlePacket(new SctpPacket(5000, 5000, 12345, [new SackChunk(1, 1, [], [])]).ToArray());
        var corrupt = new SctpPacket(5000, 5000, 1, [new CookieAckChunk()]).ToArray();
        corrupt[^1] ^= 1;
        net.B.HandlePacket(corrupt);
        net.B.HandlePacket(new byte[] { 1, 2, 3 });
        Assert.Equal(before + 3, net.B.PacketsDropped);
        Assert.Equal(SctpAssociationState.Established, net.B.State);
    }

    [Fact]
    public void Established_association_must_advertise_the_extensions_libwebrtc_expects()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect(both: false);
        var init = Assert.IsType<InitChunk>(SctpPacket.Parse(net.SentAToB[0]).Chunks.Single());
        Assert.Equal((ushort)5000, SctpPacket.Parse(net.SentAToB[0]).DestinationPort);
        Assert.Equal(0u, SctpPacket.Parse(net.SentAToB[0]).VerificationTag);
        Assert.Contains(init.Parameters, p => p is PxpActors.WebRtc.Sctp.Parameters.ForwardTsnSupportedParameter);
        var extensions = init.Parameters.OfType<PxpActors.WebRtc.Sctp.Parameters.SupportedExtensionsParameter>().Single();
        Assert.True(extensions.Supports(ChunkType.ReConfig) && extensions.Supports(ChunkType.ForwardTsn));
    }
}
