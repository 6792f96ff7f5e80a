using Akka.Actor;
using PxpActors.Actors;
using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Tests.Support;
using PxpActors.TestSupport.Raw;

namespace PxpActors.Tests.Facade;

/// <summary>The facade and actor API where a new user tripped (issue 14).</summary>
public sealed class PeerExchangeApiSpec
{
    [Fact]
    public async Task GetStatsAsync_must_give_the_nodes_stats()
    {
        await using var node = await TestNode.StartAsync();
        await using var other = await TestNode.StartAsync();
        await other.Exchange.ConnectAsync(node.Address);
        await node.NextPeerAddedAsync();

        var stats = await node.Exchange.GetStatsAsync();
        Assert.Equal(1, stats.Sessions);
        Assert.Equal(1, stats.ReadyPeers);
        Assert.Equal(1, stats.Resources.Connections);
    }

    [Fact]
    public async Task Akka_users_must_listen_with_the_Listen_message_and_receive_accepted_connections_as_events()
    {
        using var system = ActorSystem.Create("akka-user");
        var exchange = system.ActorOf(PxpExchange.Props(ExchangeSettings.Default with { NetworkId = "test" }));
        var opened = new TaskCompletionSource<PxpExchange.ConnectionOpened>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = system.ActorOf(Props.Create(() => new Forward<PxpExchange.ConnectionOpened>(opened)));
        exchange.Tell(new PxpExchange.Subscribe(subscriber));

        var listening = await exchange.Ask<PxpExchange.Listening>(new PxpExchange.Listen(new Uri("tcp://127.0.0.1:0")), TestNode.Timeout);
        Assert.NotEqual(0, listening.Address.Port);
        await using (var client = await TestNode.StartAsync())
        {
            var outgoing = await client.Exchange.ConnectAsync(listening.Address);
            var incoming = (await opened.Task.WaitAsync(TestNode.Timeout)).Connection;
            Assert.True(incoming.Incoming);
            await using var atClient = outgoing.OpenStream();
            await using var atUs = incoming.OpenStream();
            await atClient.WriteAsync("hi"u8.ToArray());
            Assert.Equal("hi", System.Text.Encoding.UTF8.GetString(await atUs.ReadExactlyAsync(2)));
        }

        await exchange.Ask<PxpExchange.Closed>(new PxpExchange.Close(), TestNode.Timeout);
        using var late = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => late.ConnectAsync("127.0.0.1", listening.Address.Port));
        await Assert.ThrowsAsync<PxpActors.Multiplexing.MultiplexerClosedException>(() =>
            exchange.Ask<PxpExchange.Listening>(new PxpExchange.Listen(new Uri("tcp://127.0.0.1:0")), TestNode.Timeout));
    }

    [Fact]
    public async Task Listen_must_fail_clearly_for_an_address_it_cannot_serve()
    {
        await using var node = await TestNode.StartAsync();
        var failure = await Assert.ThrowsAsync<NotSupportedException>(() => node.Exchange.ListenAsync(new Uri("udp://127.0.0.1:0")));
        Assert.Contains("udp://", failure.Message);
    }

    [Fact]
    public async Task The_exchange_actor_must_answer_a_message_it_does_not_know_with_a_failure()
    {
        await using var node = await TestNode.StartAsync();

        var failure = await Assert.ThrowsAsync<NotSupportedException>(() =>
            node.Exchange.Actor.Ask<object>("hello?", TimeSpan.FromSeconds(5)));
        Assert.Contains("System.String", failure.Message);
        Assert.Contains("PxpExchange", failure.Message);
    }

    [Fact]
    public async Task PeerRemoved_must_carry_why_a_session_ended_and_null_for_an_orderly_close()
    {
        await using var node = await TestNode.StartAsync();
        var removed = new TaskCompletionSource<(PeerInfo, Exception?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Exchange.PeerRemoved += (peer, reason) => removed.TrySetResult((peer, reason));

        await using (var rude = await RawPxpPeer.ConnectAsync(node.Address))
        {
            await rude.StartSessionAsync("test");
            await rude.ReceiveAsync<Hello>();
            await node.NextPeerAddedAsync();
            await rude.SendRpcAsync(new Response("no-such-request", Replies.Ok));
            var (_, reason) = await removed.Task.WaitAsync(TestNode.Timeout);
            Assert.IsType<PxpProtocolException>(reason);
            Assert.Contains("no-such-request", reason!.Message);
        }

        removed = new TaskCompletionSource<(PeerInfo, Exception?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var polite = await TestNode.StartAsync())
        {
            await polite.Exchange.ConnectAsync(node.Address);
            await node.NextPeerAddedAsync();
        }
        var (gone, none) = await removed.Task.WaitAsync(TestNode.Timeout);
        Assert.True(gone.Incoming);
        Assert.Null(none);
    }

    [Fact]
    public void PeerInfo_must_print_its_networks_and_connect_info()
    {
        var info = new PeerInfo("tcp-1", "tcp", Incoming: true, Relayed: false, ConnectInfo.Accepting, new List<string> { "a", "b" });

        var printed = info.ToString();
        Assert.Contains("Networks = [a, b]", printed);
        Assert.Contains("ConnectInfo = {\"pxp\":true", printed);
        Assert.DoesNotContain("System.Collections", printed);
    }

    [Fact]
    public async Task A_nested_session_must_be_relayed_at_both_ends()
    {
        await using var triangle = await RelayTriangle.StartAsync();
        var a = triangle.A.Exchange;

        var nested = await a.ConnectAsync(await a.RelayAsync(triangle.ViaHub, await triangle.CandidateAsync()));

        Assert.True(nested.Peer!.Relayed);
        Assert.False(nested.Peer.Incoming);
        var atB = await triangle.B.NextPeerAddedAsync(p => p.Relayed);
        Assert.True(atB.Incoming);
    }

    /// <summary>Hands the first message of type <typeparamref name="T"/> to a task.</summary>
    private sealed class Forward<T> : ReceiveActor
    {
        public Forward(TaskCompletionSource<T> target) => Receive<T>(m => target.TrySetResult(m));
    }
}
