using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using PxpActors.Resources;
using PxpActors.Buffers;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <content>Forwarding: every chunk handed to an actor or a running stage (a relay, a nested session).</content>
public sealed partial class SubstreamChannel
{
    // The forwarding role, once claimed: named in every message handed to the target.
    private SubstreamForwarding? _forwarding;

    /// <summary>
    /// Claims the reading of this substream for <paramref name="target"/>: every chunk is delivered to it as
    /// <see cref="SubstreamReceived"/>, and the end as <see cref="SubstreamFinished"/>. The target calls
    /// <see cref="SubstreamForwarding.Release"/> once it has handled a chunk, so at most a substream buffer of chunks waits
    /// in its mailbox. A substream has one reader: throws if it was claimed already.
    /// </summary>
    public SubstreamForwarding ForwardTo(IActorRef target) => Forward(target, leasedChunks: false);

    /// <summary>
    /// As <see cref="ForwardTo(IActorRef)"/>, to a running stage's async callback. With <paramref name="leasedChunks"/>
    /// each chunk comes with a <see cref="SubstreamReceived.Lease"/> on the rented array it is in, which the target
    /// releases once done with it: a large slice of a leased transport chunk is handed on as it is, anything else in a
    /// pooled copy.
    /// </summary>
    internal SubstreamForwarding ForwardTo(Action<object> callback, bool leasedChunks = false) => Forward(callback, leasedChunks);

    private SubstreamForwarding Forward(object target, bool leasedChunks)
    {
        ClaimReader();
        var forwarding = new SubstreamForwarding(this);
        List<object> backlog = [];
        lock (_gate)
        {
            _forwarding = forwarding;
            _forwardsLeasedChunks = leasedChunks;
            _forwardTo = target;
            while (_received is { Count: > 0 })
            {
                var chunk = _received.Dequeue();
                // Kept before there was a target: a target that releases leases must get leased chunks.
                backlog.Add(leasedChunks ? LeasedCopy(ByteStringSegments.AsMemory(chunk).Span) : new SubstreamReceived(forwarding, chunk));
            }
            if (_readsFinished || _readFailure is not null) backlog.Add(new SubstreamFinished(forwarding, _readFailure));
        }
        foreach (var message in backlog) Send(target, message);
        return forwarding;
    }

    /// <summary>
    /// A forwarded payload: to a target of leased chunks, a slice held through the carrier's lease when that is worth it,
    /// else a leased copy; to others, as the stage keeps data.
    /// </summary>
    private SubstreamReceived Forwarded(ReadOnlyMemory<byte> payload, ReceivedChunks? chunks)
    {
        if (!_forwardsLeasedChunks) return new SubstreamReceived(_forwarding!, chunks!.Keep(payload));
        var lease = chunks?.Lease;
        if (!ChunkLease.TryShare(lease, payload, out var slice)) return LeasedCopy(payload.Span);
        lease.Retain();
        return new SubstreamReceived(_forwarding!, ByteString.FromBytes(slice.Array!, slice.Offset, slice.Count)) { Lease = lease };
    }

    private SubstreamReceived LeasedCopy(ReadOnlySpan<byte> bytes) =>
        new(_forwarding!, ChunkLease.CopyOf(bytes, out var lease)) { Lease = lease };

    private static void Send(object target, object message)
    {
        if (target is IActorRef actor) actor.Tell(message);
        else ((Action<object>)target)(message);
    }
}
