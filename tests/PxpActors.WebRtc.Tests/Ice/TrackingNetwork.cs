using System.Collections.Concurrent;
using System.Net;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>Wraps a network and remembers every socket bound on it, to assert they were all closed.</summary>
internal sealed class TrackingNetwork(IDatagramNetwork inner) : IDatagramNetwork
{
    private readonly ConcurrentBag<TrackedSocket> _sockets = [];

    public int BoundCount => _sockets.Count;
    public int OpenCount => _sockets.Count(s => !s.IsClosed);

    public IReadOnlyList<IPAddress> GetLocalAddresses(bool includeLoopback) => inner.GetLocalAddresses(includeLoopback);

    public IDatagramSocket Bind(IPEndPoint localEndPoint)
    {
        var socket = new TrackedSocket(inner.Bind(localEndPoint));
        _sockets.Add(socket);
        return socket;
    }

    private sealed class TrackedSocket(IDatagramSocket socket) : IDatagramSocket
    {
        private int _closed;

        public bool IsClosed => Volatile.Read(ref _closed) != 0;
        public IPEndPoint LocalEndPoint => socket.LocalEndPoint;

        public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken = default) =>
            socket.SendToAsync(datagram, remote, cancellationToken);

        public ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            socket.ReceiveFromAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync()
        {
            Volatile.Write(ref _closed, 1);
            return socket.DisposeAsync();
        }
    }
}
