using PxpActors.Actors;
using PxpActors.Protocol.Rpc;

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

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
