using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.WebRtc.DataChannels;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>Our <see cref="DataChannel"/> behind the implementation-neutral <see cref="IWebRtcDataChannel"/>.</summary>
internal sealed class WebRtcDataChannel(DataChannel channel) : IWebRtcDataChannel
{
    public ushort Id => channel.Id;
    public string Label => channel.Label;
    public string Protocol => channel.Protocol;
    public bool Ordered => channel.Ordered;
    public DataChannelState State => channel.State;
    public int MaxMessageSize => channel.MaxMessageSize;
    public long BufferedAmount => channel.BufferedAmount;
    public Task Completion => channel.Completion;

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => channel.SendAsync(data, cancellationToken);

    public ValueTask SendAsync(string text, CancellationToken cancellationToken = default) => channel.SendAsync(text, cancellationToken);

    public ValueTask<DataChannelMessage?> ReceiveAsync(CancellationToken cancellationToken = default) => channel.ReceiveAsync(cancellationToken);

    public Task CloseAsync(CancellationToken cancellationToken = default) => channel.CloseAsync(cancellationToken);

    public Stream AsStream() => channel.AsStream();

    public Flow<ByteString, ByteString, NotUsed> AsFlow() => DataChannelFlow.Create(this);

    public override string ToString() => channel.ToString();
}
