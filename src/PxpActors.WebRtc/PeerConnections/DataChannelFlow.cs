using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Util;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>
/// Any <see cref="IWebRtcDataChannel"/> as <c>Flow&lt;ByteString, ByteString, NotUsed&gt;</c>, the way
/// simple-peer is a duplex stream: one element in is one message out (split when larger than the peer
/// accepts), one message received is one element; completing or failing the input closes the channel,
/// which ends the output.
/// </summary>
public static class DataChannelFlow
{
    /// <summary><paramref name="channel"/> as a flow: each element in is one message sent, each message received is one element out.</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(IWebRtcDataChannel channel)
    {
        var received = Source.UnfoldAsync<IWebRtcDataChannel, ByteString>(channel, async c =>
        {
            var message = await c.ReceiveAsync().ConfigureAwait(false);
            return message is null
                ? Option<(IWebRtcDataChannel, ByteString)>.None
                : Option<(IWebRtcDataChannel, ByteString)>.Create((c, ByteString.FromBytes(message.Data.ToArray())));
        });
        var sent = Flow.Create<ByteString>()
            .SelectAsync(1, async bytes =>
            {
                await SendAsync(channel, bytes).ConfigureAwait(false);
                return NotUsed.Instance;
            })
            .To(Sink.OnComplete<NotUsed>(() => CloseInBackground(channel), _ => CloseInBackground(channel)));
        return Flow.FromSinkAndSource(sent, received).Named($"DataChannelFlow({channel.Label})");
    }

    private static void CloseInBackground(IWebRtcDataChannel channel) => _ = channel.CloseAsync();

    private static async Task SendAsync(IWebRtcDataChannel channel, ByteString bytes)
    {
        if (bytes.IsEmpty)
        {
            await channel.SendAsync(ReadOnlyMemory<byte>.Empty).ConfigureAwait(false); // an empty message (PPID 57)
            return;
        }
        var data = bytes.ToArray().AsMemory();
        var limit = channel.MaxMessageSize;
        while (!data.IsEmpty)
        {
            var part = data[..Math.Min(limit, data.Length)];
            await channel.SendAsync(part).ConfigureAwait(false);
            data = data[part.Length..];
        }
    }
}
