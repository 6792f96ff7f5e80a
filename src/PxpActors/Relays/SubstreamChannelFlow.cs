using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Util;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>A <see cref="SubstreamChannel"/> as Akka.Streams stages, for users who want it in a graph.</summary>
public static class SubstreamChannelFlow
{
    /// <summary>What the peer sends, ending when the peer ends; cancelling stops reading.</summary>
    public static Source<ByteString, NotUsed> Incoming(SubstreamChannel channel) =>
        Source.UnfoldResourceAsync<ByteString, SubstreamChunkReader>(
            () => Task.FromResult(channel.ReadChunks()),
            async c => await c.ReadAsync().ConfigureAwait(false) is { } chunk ? Option<ByteString>.Create(chunk) : Option<ByteString>.None,
            c =>
            {
                c.StopReading();
                return Task.FromResult(Done.Instance);
            }).Named($"pxpIn:{channel.Name}");

    /// <summary>Elements become our data; completing (or failing) ends our direction with an end frame.</summary>
    public static Sink<ByteString, NotUsed> Outgoing(SubstreamChannel channel) =>
        Sink.ForEachAsync<ByteString>(1, chunk => channel.Writer.WriteAsync(chunk).AsTask())
            .MapMaterializedValue(done =>
            {
                done.ContinueWith(_ => channel.Writer.CompleteWrites(), TaskContinuationOptions.ExecuteSynchronously);
                return NotUsed.Instance;
            })
            .Named($"pxpOut:{channel.Name}");

    /// <summary>Both directions as one flow (one stage, see <see cref="SubstreamCarrierStage"/>). Materialize once.</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(SubstreamChannel channel) =>
        Flow.FromGraph(new SubstreamCarrierStage(channel));
}
