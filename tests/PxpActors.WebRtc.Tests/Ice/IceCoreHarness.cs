using System.Net;
using Microsoft.Extensions.Time.Testing;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>
/// Drives <see cref="IceAgentCore"/> state machines by hand over a <see cref="VirtualNetwork"/> and a
/// <see cref="FakeTimeProvider"/>: no threads, no real time, the same run every time.
/// </summary>
internal sealed class IceCoreHarness
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private readonly List<CorePeer> _peers = [];
    private readonly List<VirtualSocket> _stunServers = [];

    public IceCoreHarness(int seed = 1) => Network = new VirtualNetwork(seed);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public VirtualNetwork Network { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Creates an agent with a socket on each of the host's addresses, started and gathering.</summary>
    public CorePeer AddPeer(VirtualHost host, IceAgentOptions options, params string[] stunServers)
    {
        var core = new IceAgentCore(options with { TimeProvider = Clock }, new Random(_peers.Count + 17));
        var peer = new CorePeer(core, host);
        core.Start(Now);
        foreach (var address in host.Addresses)
        {
            var socket = host.BindSocket(new IPEndPoint(address, 0));
            peer.Sockets.Add(socket);
            core.AddHostSocket(peer.Sockets.Count - 1, socket.LocalEndPoint, Now);
            foreach (var server in stunServers) core.StartServerBinding(peer.Sockets.Count - 1, IPEndPoint.Parse(server), Now);
        }
        core.CompleteHostGathering();
        _peers.Add(peer);
        Pump();
        return peer;
    }

    /// <summary>A STUN server answered synchronously inside <see cref="Pump"/>.</summary>
    public IPEndPoint AddStunServer(string address)
    {
        var host = Network.AddHost(address);
        var socket = host.BindSocket(new IPEndPoint(IPAddress.Parse(address), 3478));
        _stunServers.Add(socket);
        return socket.LocalEndPoint;
    }

    /// <summary>Signals credentials both ways and every candidate gathered so far.</summary>
    public void Signal(CorePeer a, CorePeer b, bool candidates = true, bool endOfCandidates = true)
    {
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, Now);
        if (candidates)
        {
            foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, Now);
            foreach (var c in b.Gathered) a.Core.AddRemoteCandidate(c, c.EndPoint!, Now);
        }
        if (endOfCandidates)
        {
            a.Core.AddRemoteEndOfCandidates(Now);
            b.Core.AddRemoteEndOfCandidates(Now);
        }
        Pump();
    }

    /// <summary>Moves every datagram and event until nothing moves any more (time does not pass).</summary>
    public void Pump()
    {
        for (var round = 0; round < 10_000; round++)
        {
            var moved = false;
            foreach (var peer in _peers)
            {
                while (peer.Core.NextTimeout is { } due && due <= Now) peer.Core.HandleTimeout(Now);
                while (peer.Core.TryDequeueTransmit(out var transmit))
                {
                    moved = true;
                    peer.Sent++;
                    peer.Sockets[transmit.SocketId].SendToAsync(transmit.Datagram, transmit.Destination).AsTask().Wait();
                }
                while (peer.Core.TryDequeueEvent(out var iceEvent))
                {
                    moved = true;
                    peer.Record(iceEvent);
                }
                for (var i = 0; i < peer.Sockets.Count; i++)
                {
                    while (peer.Sockets[i].TryReceive(out var data, out var from))
                    {
                        moved = true;
                        var disposition = peer.Core.HandleDatagram(i, from, data, Now);
                        if (disposition == IceDatagramDisposition.Application) peer.Application.Add(data);
                        peer.Dispositions.Add(disposition);
                    }
                }
            }
            foreach (var server in _stunServers)
            {
                while (server.TryReceive(out var data, out var from))
                {
                    moved = true;
                    var request = StunMessage.Parse(data);
                    var response = new StunMessage(StunMessageType.BindingSuccess, request.TransactionId, [new XorMappedAddressAttribute(from)]);
                    server.SendToAsync(response.Encode(fingerprint: true), from).AsTask().Wait();
                }
            }
            if (!moved) return;
        }
        throw new InvalidOperationException("The harness did not settle: a datagram loop?");
    }

    /// <summary>Advances the clock in steps, pumping after each, until the condition holds or the time is up.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan limit, TimeSpan? step = null, Action? eachStep = null)
    {
        var end = Now + limit;
        Pump();
        while (!condition())
        {
            if (Now >= end) return false;
            Clock.Advance(step ?? Step);
            eachStep?.Invoke();
            Pump();
        }
        return true;
    }

    public void Run(TimeSpan duration, TimeSpan? step = null, Action? eachStep = null) =>
        RunUntil(() => false, duration, step, eachStep);
}

/// <summary>One agent under test, with what it produced.</summary>
internal sealed class CorePeer(IceAgentCore core, VirtualHost host)
{
    public IceAgentCore Core { get; } = core;
    public VirtualHost Host { get; } = host;
    public List<VirtualSocket> Sockets { get; } = [];
    public List<IceCandidate> Gathered { get; } = [];
    public List<IceConnectionState> States { get; } = [];
    public List<IceCandidatePair> SelectedPairs { get; } = [];
    public List<IceCandidatePair> ValidPairs { get; } = [];
    public List<byte[]> Application { get; } = [];
    public List<IceDatagramDisposition> Dispositions { get; } = [];
    public bool GatheringComplete { get; private set; }
    public int Sent { get; set; }

    public bool Connected => Core.State == IceConnectionState.Connected;

    public void Record(IceEvent iceEvent)
    {
        switch (iceEvent)
        {
            case IceLocalCandidateEvent local:
                Gathered.Add(local.Candidate);
                break;
            case IceGatheringCompleteEvent:
                GatheringComplete = true;
                break;
            case IceStateChangedEvent state:
                States.Add(state.State);
                break;
            case IceSelectedPairChangedEvent selected:
                SelectedPairs.Add(selected.Pair);
                break;
            case IceFirstValidPairEvent valid:
                ValidPairs.Add(valid.Pair);
                break;
        }
    }
}
