using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Ids;
using PxpActors.Relays;
using PxpActors.Buffers;
using PxpActors.Carriers;
using PxpActors.Multiplexing;

namespace PxpActors.Actors.Internal;

/// <summary>
/// One relay this node serves as the hub: opens the candidate's half (a "relay:id" substream of the candidate's session, or
/// a custom candidate's stream) next to the asker's, has the asker's session answer, then pipes the two, throttled at
/// pxp.relay-rate. A child of the asker's <see cref="PeerActor"/>, named <c>relay-&lt;candidate id&gt;-&lt;n&gt;</c>.
/// </summary>
/// <remarks>
/// Supervised by the asker's session rather than the exchange: a relay lives no longer than the session that asked for it,
/// and the session holds the per-peer bookkeeping (one relay per candidate id, pxp.max-relays-per-peer) and returns the
/// node-wide slot (pxp.limits.max-relays) when this actor stops. Every way this actor ends closes both halves.
/// </remarks>
internal sealed class HubRelayActor : UntypedActor
{
    private readonly string _nonce;
    private readonly SubstreamChannel _source;
    private readonly IActorRef? _target;
    private readonly CustomCandidate? _custom;
    private readonly ExchangeSettings _settings;
    private readonly IMaterializer _materializer;
    private readonly TimeProvider _time;
    private Task<(RelayHalves? Halves, string? Error)>? _opening;
    private RelayHalves? _halves;

    public HubRelayActor(string nonce, SubstreamChannel source, IActorRef? target, CustomCandidate? custom, ExchangeSettings settings,
        IMaterializer materializer, TimeProvider time)
    {
        _time = time;
        _nonce = nonce;
        _source = source;
        _target = target;
        _custom = custom;
        _settings = settings;
        _materializer = materializer;
    }

    protected override void PreStart()
    {
        // The candidate's own request timeout answers first, with the clearer reason.
        var timeout = _settings.RequestTimeout + TimeSpan.FromSeconds(1);
        var toPeer = _target is { } target ? OpenIncomingAsync(target, timeout) : null;
        var toCustom = toPeer is null ? _custom!.Open() : null;
        _opening = RelayHalves.OpenAsync(_source, toPeer, toCustom, _materializer);
        _opening.PipeTo(Self, success: result => new HalvesOpened(result.Halves, result.Error));
    }

    protected override void PostStop()
    {
        if (_halves is { } halves) halves.Close(_materializer); // idempotent: a pipe that ended closed them already
        else if (_opening is { IsCompleted: false } opening)
        {
            // Stopped before the halves opened (the asker's session is gone): whatever opens has nobody to pipe it.
            var materializer = _materializer;
            opening.ContinueWith(t => t.Result.Halves?.Close(materializer), TaskContinuationOptions.ExecuteSynchronously);
        }
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case HalvesOpened { Halves: { } halves }:
                _halves = halves;
                // A candidate session that ends abruptly leaves the asker's half open until the asker ends it: close it ourselves.
                if (_target is { } candidate) Context.Watch(candidate);
                // The asker's session replies first: the asker registers relay:<id> on the reply, and control frames go out
                // ahead of data. It tells us to start once the reply is on its way.
                Context.Parent.Tell(new HubRelayOpened(_nonce));
                break;
            case HalvesOpened failed:
                Context.Parent.Tell(new HubRelayFailed(_nonce, $"Relay failed: {failed.Error}"));
                Context.Stop(Self);
                break;
            case StartHubRelay:
                if (_halves is { } opened) StartPipe(opened);
                break;
            case Terminated: // the candidate's session stopped: the relay ends on the asker's side too
            case PipeEnded:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private static async Task<SubstreamChannel> OpenIncomingAsync(IActorRef target, TimeSpan timeout) =>
        (await target.Ask<RelayOpened>(new OpenIncomingRelay(RandomId.Next()), timeout)).Stream;

    private void StartPipe(RelayHalves halves)
    {
        var self = Self;
        var materializer = _materializer;
        // However the pipe ends (one side ended, failed or its session gone), both halves end with it.
        void Ended(Task _)
        {
            halves.Close(materializer);
            self.Tell(PipeEnded.Instance);
        }
        if (halves.DestinationChannel is { } destination)
        {
            // Between two of our sessions: channel to channel, no graph in between; at pxp.relay-rate on the node's clock.
            var pacing = _settings.RelayBytesPerSecond <= 0 ? null : new RelayPacing(_settings.RelayBytesPerSecond, _time, Context.System.Scheduler);
            SubstreamRelay.RunAsync(halves.Source, destination, pacing).ContinueWith(Ended, TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        // To a custom candidate's stream, each direction throttled on the node's clock: tokens read on its TimeProvider, waits
        // on the stage's timers.
        var relayed = SubstreamChannelFlow.Incoming(halves.Source)
            .Via(Throttled(toCandidate: true))
            .Via(halves.Destination!)
            .Via(Throttled(toCandidate: false))
            .WatchTermination(Keep.Right)
            .To(SubstreamChannelFlow.Outgoing(halves.Source))
            .Run(_materializer);
        relayed.ContinueWith(Ended, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>One direction at pxp.relay-rate; a rate of 0 (off) passes everything, to or from a custom candidate's stream.</summary>
    private Flow<ByteString, ByteString, NotUsed> Throttled(bool toCandidate) =>
        RelayThrottle.Create(_settings.RelayBytesPerSecond, toCandidate, _time);

    private sealed record HalvesOpened(RelayHalves? Halves, string? Error);

    private sealed record PipeEnded
    {
        public static PipeEnded Instance { get; } = new();
    }
}
