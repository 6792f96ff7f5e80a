using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;

namespace PxpActors.Simulation.Remote;

/// <summary>The async face of <see cref="LinkEndpoint"/>: dial a link from one system to another.</summary>
public static class CrossSystemLink
{
    /// <summary>
    /// Opens a link from the system of <paramref name="localEndpoint"/> to that of <paramref name="remoteEndpoint"/>;
    /// completes with this side's flow once the other side's acceptor has it (<see cref="LinkEndpoint.IncomingLink"/>).
    /// </summary>
    /// <param name="localEndpoint">This system's endpoint.</param>
    /// <param name="remoteEndpoint">The other system's endpoint (an actor reference across Akka.Remote).</param>
    /// <param name="tag">What the link is for, for the other side's acceptor.</param>
    /// <param name="outbound">Conditions on the bytes this side sends; null passes them as they are.</param>
    /// <param name="inbound">Conditions on the bytes this side receives; null passes them as they are.</param>
    /// <param name="timeout">How long to wait for the endpoint's answer (default 10 s; the endpoint's offer timeout comes first).</param>
    public static async Task<Flow<ByteString, ByteString, NotUsed>> DialAsync(IActorRef localEndpoint, IActorRef remoteEndpoint,
        string tag, Flow<ByteString, ByteString, NotUsed>? outbound = null, Flow<ByteString, ByteString, NotUsed>? inbound = null,
        TimeSpan? timeout = null)
    {
        var linked = await localEndpoint.Ask<LinkEndpoint.Linked>(new LinkEndpoint.Dial(remoteEndpoint, tag, outbound, inbound),
            timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return linked.Flow;
    }

    /// <summary>
    /// <paramref name="link"/> with conditions on either direction (for the accepting side, which receives its flow as is):
    /// <paramref name="outbound"/> on the bytes it sends, <paramref name="inbound"/> on those it receives.
    /// </summary>
    public static Flow<ByteString, ByteString, NotUsed> WithConditions(Flow<ByteString, ByteString, NotUsed> link,
        Flow<ByteString, ByteString, NotUsed>? outbound, Flow<ByteString, ByteString, NotUsed>? inbound)
    {
        var shaped = outbound is null ? link : outbound.Via(link);
        return inbound is null ? shaped : shaped.Via(inbound);
    }
}
