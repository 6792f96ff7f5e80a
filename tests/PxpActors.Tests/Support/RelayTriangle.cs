using PxpActors.Actors;
using Akka.Streams.Dsl;
using PxpActors.Protocol.Rpc;
using PxpActors.TestSupport.Raw;

namespace PxpActors.Tests.Support;

/// <summary>A hub with nodes A and B connected to it: where A relays to B through the hub.</summary>
public sealed class RelayTriangle : IAsyncDisposable
{
    private RelayTriangle(TestNode hub, TestNode a, TestNode b)
    {
        Hub = hub;
        A = a;
        B = b;
    }

    public TestNode Hub { get; }

    public TestNode A { get; }

    public TestNode B { get; }

    /// <summary>A's session with the hub.</summary>
    public PeerInfo ViaHub => A.Exchange.Peers[0];

    public static async Task<RelayTriangle> StartAsync()
    {
        var triangle = new RelayTriangle(await TestNode.StartAsync(), await TestNode.StartAsync(), await TestNode.StartAsync());
        await triangle.A.Exchange.ConnectAsync(triangle.Hub.Address);
        await triangle.B.Exchange.ConnectAsync(triangle.Hub.Address);
        return triangle;
    }

    /// <summary>The hub's one candidate for A: B.</summary>
    public async Task<Candidate> CandidateAsync() => Assert.Single(await A.Exchange.GetPeersAsync(ViaHub));

    /// <summary>
    /// A PXP peer spoken by hand over a relay from A to B (as a JavaScript asker would speak before its upgrade): its
    /// session with B has started, and B holds it as a relayed peer.
    /// </summary>
    public async Task<RawPxpPeer> RawAskerAsync()
    {
        var relay = await A.Exchange.RelayAsync(ViaHub, await CandidateAsync());
        var (ours, theirs) = Transports.InMemoryDuplexStream.CreatePair();
        Flow.FromGraph(new PxpActors.Carriers.StreamCarrierStage(ours)).Join(relay.Flow).Run(A.Exchange.Materializer);
        var peer = RawPxpPeer.Over(theirs);
        await peer.StartSessionAsync("test");
        await B.NextPeerAddedAsync(p => p.Relayed);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
