namespace PxpActors.Multiplexing;

/// <summary>
/// A reading role of a <see cref="SubstreamChannel"/> (see <see cref="SubstreamChannel.ReadBytes"/>): what the peer sent,
/// moved into the reader's buffers. What arrives is copied out of the carrier's chunks into pooled blocks at once (or into
/// a waiting reader's buffer), so nothing received stays in chunks the garbage collector would have to move. One reader at
/// a time.
/// </summary>
public sealed class SubstreamByteReader
{
    private readonly SubstreamChannel _channel;

    internal SubstreamByteReader(SubstreamChannel channel) => _channel = channel;

    /// <summary>The substream's name.</summary>
    public string Name => _channel.Name;

    /// <summary>
    /// Moves what the peer sent into <paramref name="buffer"/>: the byte count, 0 once the peer ended the substream. Throws
    /// <see cref="SubstreamResetException"/> if the peer destroyed it, <see cref="MultiplexerClosedException"/> if the
    /// session ended first.
    /// </summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _channel.ReadIntoAsync(buffer, cancellationToken);

    /// <summary>
    /// Waits until bytes can be read without waiting (true) or the peer's direction is over (false), holding no buffer
    /// meanwhile: for a pump that rents its buffer only once there is something to move. Throws as
    /// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> does.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _channel.WaitToReadAsync(cancellationToken);

    /// <summary>We read no more: what the peer still sends on this substream is dropped.</summary>
    public void StopReading() => _channel.StopReading();
}
