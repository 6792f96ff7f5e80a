using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>
/// One side's byte flow of a cross-system link. When run, it offers its outgoing bytes as a <c>SourceRef</c> (handed to the
/// other side by its link side actor) and reads the other side's <c>SourceRef</c>. Each direction completes on
/// its own; a failure of either fails both. Its end tells the link side actor, which then stops.
/// </summary>
internal static class LinkFlow
{
    public static Flow<ByteString, ByteString, NotUsed> Create(IActorRef side, CrossSystemLinkSettings settings,
        Flow<ByteString, ByteString, NotUsed>? outbound, Flow<ByteString, ByteString, NotUsed>? inbound)
    {
        var chunkSize = settings.ChunkSize;
        // Akka.Remote writes byte[] with its own bytes serializer, and caps a message's size: cut the bytes into chunks.
        var send = Flow.Create<ByteString>()
            .Via(outbound ?? Flow.Create<ByteString>())
            .SelectMany(bytes => Chunks(bytes, chunkSize))
            .ViaMaterialized(KillSwitches.Single<byte[]>(), Keep.Right)
            .WatchTermination((killSwitch, done) => (killSwitch, done))
            .ToMaterialized(StreamRefs.SourceRef<byte[]>(), (ended, outgoing) => (ended.killSwitch, ended.done, outgoing));
        // The other side runs its flow on its own time: wait for its SourceRef as long as a side may stay unrun, and a little more.
        var partnerWait = settings.MaterializeTimeout + settings.OfferTimeout;
        var receive = Source.Single(NotUsed.Instance)
            .SelectAsync(1, _ => PartnerOutgoingAsync(side, partnerWait))
            .SelectError(e => e is AggregateException aggregate ? aggregate.GetBaseException() : e) // the task's own exception
            .ConcatMany(partner => partner.Source.Source)
            .Select(ByteString.FromBytes)
            .Via(inbound ?? Flow.Create<ByteString>())
            .ViaMaterialized(KillSwitches.Single<ByteString>(), Keep.Right)
            .WatchTermination((killSwitch, done) => (killSwitch, done));
        return Flow.FromSinkAndSource(send, receive, (sending, receiving) =>
        {
            side.Tell(new LocalRunning(sending.killSwitch, receiving.killSwitch));
            sending.outgoing.PipeTo(side, success: r => new LocalOutgoingReady(r), failure: e => new LocalStreamEnded(e));
            // As a socket: each direction completes on its own (a half-close lets the other side answer), but a failure of
            // either fails both, so a broken link never lingers half open.
            // The reader's stage stopping after it cancelled may reach the writer as a failure (DeathWatch races the
            // cancellation); it only means nobody reads any more, and the receiving direction has its own end.
            sending.done.ContinueWith(t =>
            {
                if (t.Exception!.GetBaseException() is not RemoteStreamRefActorTerminatedException)
                    receiving.killSwitch.Abort(t.Exception.GetBaseException());
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            receiving.done.ContinueWith(t => sending.killSwitch.Abort(t.Exception!.GetBaseException()), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            Task.WhenAll(sending.done, receiving.done).ContinueWith(
                t => side.Tell(new LocalStreamEnded(t.Exception?.GetBaseException())), TaskScheduler.Default);
            return NotUsed.Instance;
        });
    }

    /// <summary>The other side's SourceRef, from this side's actor; fails at once if that actor has already closed.</summary>
    private static async Task<PartnerOutgoing> PartnerOutgoingAsync(IActorRef side, TimeSpan wait)
    {
        using var stopWatching = new CancellationTokenSource();
        var closed = side.WatchAsync(stopWatching.Token);
        var partner = side.Ask<PartnerOutgoing>(AwaitPartnerOutgoing.Instance, wait);
        if (await Task.WhenAny(partner, closed).ConfigureAwait(false) == partner)
        {
            stopWatching.Cancel();
            return await partner.ConfigureAwait(false);
        }
        throw new CrossSystemLinkException($"The link side {side.Path.Name} closed before its flow ran (not run in time, or the other side is gone)");
    }

    // Copied at once: the bytes a session writes may be lent to us only for the time of the call.
    private static byte[][] Chunks(ByteString bytes, int chunkSize)
    {
        var chunks = new byte[(bytes.Count + chunkSize - 1) / chunkSize][];
        for (var i = 0; i < chunks.Length; i++)
        {
            var offset = i * chunkSize;
            chunks[i] = bytes.Slice(offset, Math.Min(chunkSize, bytes.Count - offset)).ToArray();
        }
        return chunks;
    }
}
