using System.Net;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>
/// An unconnected datagram socket bound to one local address: what ICE gathers host candidates on and
/// sends checks from. Implemented over UDP (<see cref="UdpDatagramSocket"/>) and in memory by tests.
/// </summary>
public interface IDatagramSocket : IAsyncDisposable
{
    /// <summary>The bound local address and port.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one datagram. Never waits on the network; a lost datagram is not an error.</summary>
    ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the next datagram. Throws <see cref="DatagramConnectionClosedException"/> once disposed.
    /// </summary>
    ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}
