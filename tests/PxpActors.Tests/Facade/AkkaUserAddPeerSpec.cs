using System.Net.Sockets;
using Akka.Actor;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Facade;

/// <summary>
/// An Akka user adds peers with the public protocol's messages alone, as the facade does: over a Stream it owns, and nested
/// over a connection it already has (issue 18: the facade sends only messages an Akka user can send too).
/// </summary>
public sealed class AkkaUserAddPeerSpec : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task Akka_users_must_add_a_peer_over_a_stream_with_AddStreamPeer()
    {
        await using var node = await TestNode.StartAsync();
        var exchange = Sys.ActorOf(PxpExchange.Props(ExchangeSettings.Default with { NetworkId = "test" }), "akka-user-exchange");
        var socket = new TcpClient();
        await socket.ConnectAsync(node.Address.Host, node.Address.Port);

        exchange.Tell(new PxpExchange.AddStreamPeer(socket.GetStream(), Incoming: false, "tcp"), TestActor);

        var connected = await ExpectMsgAsync<PxpExchange.Connected>(TestNode.Timeout);
        Assert.Equal("tcp", connected.Connection.Peer!.Transport);
        Assert.False(connected.Connection.Peer.Incoming);
        Assert.NotNull(connected.Connection.Peer.RemoteAddress);
        var atNode = await node.NextConnectionAsync();
        await using var ours = connected.Connection.OpenStream();
        await using var theirs = atNode.OpenStream();
        await ours.WriteAsync("hello"u8.ToArray());
        Assert.Equal("hello"u8.ToArray(), await theirs.ReadExactlyAsync(5, TestNode.Timeout));
        await exchange.Ask<PxpExchange.Closed>(new PxpExchange.Close(), TestNode.Timeout);
    }

    [Fact]
    public async Task Akka_users_must_add_a_nested_peer_over_a_relayed_connection_with_AddNestedPeer_once()
    {
        await using var hub = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        await b.Exchange.ConnectAsync(hub.Address);
        var exchange = Sys.ActorOf(PxpExchange.Props(ExchangeSettings.Default with { NetworkId = "test" }), "akka-user-asker");
        var socket = new TcpClient();
        await socket.ConnectAsync(hub.Address.Host, hub.Address.Port);
        exchange.Tell(new PxpExchange.AddStreamPeer(socket.GetStream(), Incoming: false, "tcp"), TestActor);
        var viaHub = (await ExpectMsgAsync<PxpExchange.Connected>(TestNode.Timeout)).Connection.Peer!;
        var candidates = await exchange.Ask<PxpExchange.CandidateList>(new PxpExchange.GetPeers(viaHub.Id), TestNode.Timeout);
        var relayed = await exchange.Ask<PxpExchange.Relayed>(new PxpExchange.Relay(viaHub.Id, Assert.Single(candidates.Candidates)),
            TestNode.Timeout);

        exchange.Tell(new PxpExchange.AddNestedPeer(relayed.Stream, Incoming: false), TestActor);

        var nested = await ExpectMsgAsync<PxpExchange.Connected>(TestNode.Timeout);
        Assert.True(nested.Connection.Peer!.Relayed);
        Assert.Equal("relay", nested.Connection.Peer.Transport);
        Assert.True((await b.NextPeerAddedAsync(p => p.Relayed)).Incoming);
        // The carrier is used up: a second session over it is refused, as a second Flow or Stream would be.
        exchange.Tell(new PxpExchange.AddNestedPeer(relayed.Stream, Incoming: false), TestActor);
        var refused = await ExpectMsgAsync<Status.Failure>(TestNode.Timeout);
        Assert.IsType<InvalidOperationException>(refused.Cause);
        await exchange.Ask<PxpExchange.Closed>(new PxpExchange.Close(), TestNode.Timeout);
    }
}
