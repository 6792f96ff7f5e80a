using Akka;
using Akka.IO;
using Akka.Streams.Dsl;

namespace PxpActors.Multiplexing;

/// <summary>
/// One named shared stream of a PXP session: what the peer sends on its channel of that name
/// (<see cref="Incoming"/>) and what we send on ours (<see cref="Outgoing"/>). Each side must be
/// materialized exactly once.
/// </summary>
public sealed record Substream(string Name, Source<ByteString, NotUsed> Incoming, Sink<ByteString, NotUsed> Outgoing)
{
    /// <summary>Both directions as one flow: elements written become frames, frames read become elements.</summary>
    public Flow<ByteString, ByteString, NotUsed> AsFlow() => Flow.FromSinkAndSource(Outgoing, Incoming);
}
