using System.Text;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Simulation.WebRtc;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>The actor behind <see cref="NodeHost"/>: its nodes, their link endpoint, and the connections they opened.</summary>
internal sealed class NodeHostActor : ReceiveActor
{
    // The endpoint answers a dial once its offer is accepted or has expired: wait that long, and a little more.
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(5);
    private readonly string _networkId;
    private readonly CrossSystemLinkSettings _linkSettings;
    private readonly IActorRef _endpoint;
    private readonly Dictionary<string, HostedNode> _nodes = [];
    private readonly SimulatedWebRtc? _webRtc;
    private readonly CrossSystemWebRtc? _crossSystem;

    public NodeHostActor(string networkId, CrossSystemLinkSettings linkSettings, bool simulatedWebRtc)
    {
        _networkId = networkId;
        _linkSettings = linkSettings;
        _endpoint = Context.ActorOf(LinkEndpoint.Props(linkSettings), "links");
        if (simulatedWebRtc)
        {
            _webRtc = new SimulatedWebRtc();
            _crossSystem = CrossSystemWebRtc.Start(Context.System, _webRtc, settings: linkSettings, name: $"{Self.Path.Name}-webrtc");
        }

        Receive<NodeHost.CreateNode>(OnCreate);
        Receive<NodeHost.GetEndpoint>(_ => Sender.Tell(new NodeHost.Endpoint(_endpoint)));
        Receive<NodeHost.ConnectNode>(connect => WithNode(connect.Name, node =>
            ConnectAsync(node, connect).PipeTo(Self, Sender,
                c => new Opened(connect.Name, c, new NodeHost.NodeConnected(connect.Name, c.Peer!.NodeId!)), FailureToRequester)));
        Receive<NodeHost.GetNewPeer>(get => WithNode(get.Name, node =>
            node.Exchange.GetNewPeerAsync().PipeTo(Self, Sender,
                c => new Opened(get.Name, c, new NodeHost.NewPeer(get.Name, c.Peer?.NodeId ?? "", c.Transport)), FailureToRequester)));
        Receive<Opened>(opened =>
        {
            if (_nodes.TryGetValue(opened.Name, out var node) && opened.Connection.Peer?.NodeId is { } peer)
                node.Opened[peer] = opened.Connection.OpenStream();
            Sender.Tell(opened.Reply);
        });
        Receive<ToRequester>(answer => Sender.Tell(answer.Reply));
        Receive<NodeHost.SendText>(send => WithNode(send.Name, node =>
        {
            if (node.Opened.TryGetValue(send.PeerNodeId, out var stream))
                EchoAsync(stream, send).PipeTo(Sender, Self, failure: Failure);
            else Sender.Tell(new NodeHost.Failed($"Node {send.Name} opened no connection to {send.PeerNodeId}"));
        }));
        Receive<NodeHost.ListPeers>(list => WithNode(list.Name, node => Sender.Tell(new NodeHost.PeerList(list.Name,
            [.. node.Exchange.Peers.Select(p => new NodeHost.PeerSummary(p.NodeId, p.Transport, p.Incoming, p.Relayed))]))));
        Receive<NodeHost.GetDegrees>(_ => Sender.Tell(new NodeHost.Degrees(
            [.. _nodes.Values.Select(n => n.Exchange.Peers.Count(p => !p.Relayed))])));
        Receive<NodeHost.CloseNodes>(_ =>
        {
            var requester = Sender;
            var closing = _nodes.Values.ToList();
            DisposeOpened();
            _nodes.Clear();
            Task.WhenAll(closing.Select(n => n.Exchange.CloseAsync()))
                .ContinueWith(_ => new NodeHost.NodesClosed(closing.Count), TaskScheduler.Default)
                .PipeTo(requester);
        });
        Receive<NodeHost.GetCensus>(_ =>
            CensusAsync(_nodes.Count, ((ExtendedActorSystem)Context.System).Guardian).PipeTo(Sender, failure: Failure));
        Receive<LinkEndpoint.IncomingLink>(OnIncomingLink);
        Receive<LinkEndpoint.Subscribed>(_ => { });
        Receive<NodeHost.Shutdown>(_ =>
        {
            var requester = Sender;
            Task.WhenAll(_nodes.Values.Select(n => n.Exchange.CloseAsync()))
                .ContinueWith(_ => (object)new Closed(requester), TaskScheduler.Default)
                .PipeTo(Self);
        });
        Receive<Closed>(closed =>
        {
            DisposeOpened();
            _nodes.Clear();
            closed.Requester.Tell(new NodeHost.ShutDown());
            Context.Stop(Self);
        });
    }

    protected override void PreStart() => _endpoint.Tell(new LinkEndpoint.Subscribe(Self));

    // Stopped without Shutdown (its system terminating): the nodes close on their own time.
    protected override void PostStop()
    {
        DisposeOpened();
        foreach (var node in _nodes.Values) _ = node.Exchange.CloseAsync();
        if (_crossSystem is not null) _ = _crossSystem.DisposeAsync().AsTask();
    }

    // Runs off the actor's thread: reads nothing of its context.
    private async Task<NodeHost.Census> CensusAsync(int nodes, IActorRef guardian)
    {
        var links = await _endpoint.Ask<LinkEndpoint.LinkCount>(LinkEndpoint.GetLinkCount.Instance, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var webRtcLinks = _crossSystem is null ? 0 : await _crossSystem.LinkCountAsync().ConfigureAwait(false);
        return new NodeHost.Census(nodes, links.Open, webRtcLinks, _webRtc?.OpenConnections ?? 0, _webRtc?.OpenChannels ?? 0,
            CountActors(guardian));
    }

    private static int CountActors(IActorRef actor) =>
        actor is ActorRefWithCell cell ? 1 + cell.Children.Sum(CountActors) : 1;

    private void DisposeOpened()
    {
        foreach (var stream in _nodes.Values.SelectMany(n => n.Opened.Values)) stream.Dispose();
        foreach (var node in _nodes.Values) node.Opened.Clear();
    }

    private void OnCreate(NodeHost.CreateNode create)
    {
        if (_nodes.ContainsKey(create.Name))
        {
            Sender.Tell(new NodeHost.Failed($"A node named {create.Name} already exists"));
            return;
        }
        var options = _webRtc is null
            ? new PeerExchangeOptions { TargetPeers = create.TargetPeers }
            : new PeerExchangeOptions { TargetPeers = create.TargetPeers, Config = NodeDefaults.Config, WebRtc = _webRtc.FactoryFor(create.Name) };
        var exchange = new PeerExchange(_networkId, options, Context.System);
        // Connections the node did not open (accepted, relayed to it, upgrades it answered) echo what they receive.
        exchange.Connected += connection => Echo(exchange, connection);
        _nodes[create.Name] = new HostedNode(exchange, []);
        Sender.Tell(new NodeHost.NodeCreated(create.Name, exchange.NodeId));
    }

    private void OnIncomingLink(LinkEndpoint.IncomingLink link)
    {
        if (_nodes.TryGetValue(link.Tag, out var node))
        {
            var exchange = node.Exchange;
            exchange.AcceptAsync(link.Flow, "remote").ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) Echo(exchange, t.Result);
            }, TaskScheduler.Default);
        }
        else
        {
            // No such node: run the link empty, which closes it (the dialing side's session fails).
            Source.Empty<ByteString>().Via(link.Flow).RunWith(Sink.Ignore<ByteString>(), Context.System.Materializer());
        }
    }

    private Task<PxpConnection> ConnectAsync(HostedNode node, NodeHost.ConnectNode connect) =>
        CrossSystemLink.DialAsync(_endpoint, connect.RemoteEndpoint, connect.RemoteNode,
                timeout: _linkSettings.OfferTimeout + AnswerMargin)
            .ContinueWith(t => node.Exchange.ConnectAsync(t.Result, "remote"), TaskScheduler.Default).Unwrap();

    private static void Echo(PeerExchange exchange, PxpConnection connection) =>
        connection.Flow.Join(Flow.Create<ByteString>()).Run(exchange.Materializer);

    private static async Task<NodeHost.Echoed> EchoAsync(Stream stream, NodeHost.SendText send)
    {
        var bytes = Encoding.UTF8.GetBytes(send.Text);
        await stream.WriteAsync(bytes).ConfigureAwait(false);
        var back = new byte[bytes.Length];
        await stream.ReadExactlyAsync(back).ConfigureAwait(false);
        return new NodeHost.Echoed(send.Name, send.PeerNodeId, Encoding.UTF8.GetString(back));
    }

    private void WithNode(string name, Action<HostedNode> action)
    {
        if (_nodes.TryGetValue(name, out var node)) action(node);
        else Sender.Tell(new NodeHost.Failed($"No node named {name}"));
    }

    private static object Failure(Exception e) => new NodeHost.Failed(e.GetBaseException().Message);

    // A failure piped to this actor on the requester's behalf (as sender), to be passed on.
    private static object FailureToRequester(Exception e) => new ToRequester(Failure(e));

    private sealed record HostedNode(PeerExchange Exchange, Dictionary<string, Stream> Opened);

    /// <summary>A node opened a connection; its stream is kept for <see cref="NodeHost.SendText"/>, then <paramref name="Reply"/> goes out.</summary>
    private sealed record Opened(string Name, PxpConnection Connection, object Reply);

    private sealed record Closed(IActorRef Requester);

    private sealed record ToRequester(object Reply);
}
