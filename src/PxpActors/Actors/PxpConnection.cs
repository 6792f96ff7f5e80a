using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Actors;

/// <summary>
/// An application connection: the "data:network" stream of a PXP session, or a relayed byte stream.
/// Use it once, either as a <see cref="Flow"/> or as a <see cref="Stream"/>.
/// </summary>
public sealed class PxpConnection
{
    private readonly SubstreamChannel _channel;
    private int _used;

    internal PxpConnection(PeerInfo? peer, bool incoming, string transport, SubstreamChannel channel)
    {
        Peer = peer;
        Incoming = incoming;
        Transport = transport;
        _channel = channel;
    }

    /// <summary>The session this connection runs over; null for a relayed stream to a non-PXP candidate.</summary>
    public PeerInfo? Peer { get; }

    /// <summary>True when the peer opened the session this connection runs over.</summary>
    public bool Incoming { get; }

    /// <summary>The name of the transport the session runs over (tcp, relay, stream, …).</summary>
    public string Transport { get; }

    /// <summary>Bytes written become our data; bytes emitted are the peer's. Materialize once.</summary>
    public Flow<ByteString, ByteString, NotUsed> Flow
    {
        get
        {
            Claim();
            return SubstreamChannelFlow.Create(_channel);
        }
    }

    /// <summary>The connection as a non-blocking duplex <see cref="System.IO.Stream"/>.</summary>
    public Stream OpenStream()
    {
        Claim();
        return new ConnectionStream(_channel.ReadBytes(), _channel.Writer);
    }

    /// <summary>The substream itself, for a session run over it (see <c>PeerExchange.ConnectAsync(PxpConnection)</c>).</summary>
    internal SubstreamChannel ClaimChannel()
    {
        Claim();
        return _channel;
    }

    /// <summary>Throws as a second use would, before a request that uses the connection up is sent off to the exchange.</summary>
    internal void ThrowIfUsed()
    {
        if (Volatile.Read(ref _used) == 1) Throw();
    }

    private void Claim()
    {
        if (Interlocked.Exchange(ref _used, 1) == 1) Throw();
    }

    private static void Throw() =>
        throw new InvalidOperationException("A PXP connection can be used only once (as a Flow or as a Stream)");
}
