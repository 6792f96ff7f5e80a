using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>
/// A reading role of a <see cref="SubstreamChannel"/> (see <see cref="SubstreamChannel.ReadChunks"/>): what the peer
/// sent, chunk by chunk, as the multiplexer kept it. One reader at a time.
/// </summary>
public sealed class SubstreamChunkReader
{
    private readonly SubstreamChannel _channel;

    internal SubstreamChunkReader(SubstreamChannel channel) => _channel = channel;

    /// <summary>The substream's name.</summary>
    public string Name => _channel.Name;

    /// <summary>
    /// The next chunk the peer sent, or null once the peer ended the substream. Throws
    /// <see cref="SubstreamResetException"/> if the peer destroyed it, <see cref="MultiplexerClosedException"/>
    /// if the session ended first.
    /// </summary>
    public ValueTask<ByteString?> ReadAsync(CancellationToken cancellationToken = default) => _channel.ReadChunkAsync(cancellationToken);

    /// <summary>We read no more: what the peer still sends on this substream is dropped.</summary>
    public void StopReading() => _channel.StopReading();
}
