namespace PxpActors.WebRtc.Datagrams;

/// <summary>
/// The one seam between WebRTC layers: a connected, unreliable, message-preserving datagram path.
/// ICE offers one to DTLS, DTLS offers one to SCTP. Each layer sees only the layer below through it.
/// </summary>
public interface IDatagramConnection : IAsyncDisposable
{
    /// <summary>Largest datagram this path carries without fragmentation at a lower layer.</summary>
    int MaxDatagramSize { get; }

    /// <summary>Queues one datagram for sending. Never waits on the network; a lost datagram is not an error.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the next datagram and copies it into <paramref name="buffer"/>, returning its length.
    /// Throws <see cref="DatagramConnectionClosedException"/> once the path is closed.
    /// </summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
