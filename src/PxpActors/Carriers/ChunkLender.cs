using Akka.IO;
using PxpActors.Buffers;
namespace PxpActors.Carriers;

/// <summary>
/// The loan of a transport stage's last pushed chunk to the multiplexer joined to it (on the same interpreter, so between
/// a push and the next pull): the stage holds the chunk's lease until the loan ends, and a substream that forwards a slice
/// of the chunk without copying it adds a hold of its own (see <see cref="ChunkLease.Retain"/>). One per materialization.
/// </summary>
internal sealed class ChunkLender : ReceivedChunks
{
    /// <summary>The lease of the chunk last pushed and not yet done with; null between chunks.</summary>
    public ChunkLease? Current { get; private set; }

    /// <summary>A chunk in <paramref name="lease"/>'s array is pushed: the stage's hold on it lasts until <see cref="EndLoan"/>.</summary>
    public void Lend(ChunkLease? lease) => Current = lease;

    /// <summary>A lent chunk is reused once the stage is pulled again: nothing of it is kept without a copy.</summary>
    public override void Arrived(int length)
    {
    }

    /// <summary>A copy: the chunk's array goes back to the carrier.</summary>
    public override ByteString Keep(ReadOnlyMemory<byte> payload) => ByteString.FromBytes(payload.ToArray());

    /// <summary>The lease of the chunk last pushed (see <see cref="Current"/>).</summary>
    public override ChunkLease? Lease => Current;

    /// <summary>The chunk is done with (the stage was pulled again, or stopped): the stage lets go of its hold.</summary>
    public void EndLoan()
    {
        var lease = Current;
        Current = null;
        lease?.Release(); // back to the pool, unless a substream forwards a slice of it
    }
}
