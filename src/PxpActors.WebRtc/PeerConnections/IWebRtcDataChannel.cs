using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.WebRtc.DataChannels;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>
/// One data channel of an <see cref="IWebRtcPeerConnection"/>, whatever implementation carries it:
/// message sends and receives, and the same channel as a <see cref="Stream"/> or an Akka.Streams flow
/// where each write is one message.
/// </summary>
public interface IWebRtcDataChannel
{
    /// <summary>The SCTP stream id the channel runs on.</summary>
    ushort Id { get; }
    /// <summary>The channel's label.</summary>
    string Label { get; }
    /// <summary>The channel's sub-protocol (often empty).</summary>
    string Protocol { get; }
    /// <summary>True when messages arrive in the order sent.</summary>
    bool Ordered { get; }
    /// <summary>Where the channel is in its life.</summary>
    DataChannelState State { get; }

    /// <summary>Largest message <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> accepts (the peer's a=max-message-size).</summary>
    int MaxMessageSize { get; }

    /// <summary>Bytes sent and not yet acknowledged by the peer.</summary>
    long BufferedAmount { get; }

    /// <summary>Completes once the channel is closed.</summary>
    Task Completion { get; }

    /// <summary>Sends one binary message; waits while the send buffer is full (backpressure).</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Sends one text message.</summary>
    ValueTask SendAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>The next message, or null once the channel is closed and drained.</summary>
    ValueTask<DataChannelMessage?> ReceiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the channel (both directions); completes once the peer agreed or the connection ended.</summary>
    Task CloseAsync(CancellationToken cancellationToken = default);

    /// <summary>The channel as a byte stream: each write is one message (split at <see cref="MaxMessageSize"/>); end of stream at close.</summary>
    Stream AsStream();

    /// <summary>
    /// The channel as a flow: each element pushed in is one message (split at <see cref="MaxMessageSize"/>),
    /// each message received comes out as one element; completing the input closes the channel.
    /// </summary>
    Flow<ByteString, ByteString, NotUsed> AsFlow();
}
