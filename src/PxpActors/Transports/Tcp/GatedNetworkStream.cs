using System.Net.Sockets;
using PxpActors.Resources;

namespace PxpActors.Transports.Tcp;

/// <summary>A socket's stream that gives its slot in the <see cref="SocketGate"/> back when it is disposed (once).</summary>
internal sealed class GatedNetworkStream(Socket socket, SocketGate gate) : NetworkStream(socket, ownsSocket: true)
{
    private int _disposed;

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Leave();
        base.Dispose(disposing);
    }
}
