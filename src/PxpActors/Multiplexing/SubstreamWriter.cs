using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>
/// The writing role of a <see cref="SubstreamChannel"/>: our direction of the substream. Any number of writers may share
/// it (a nested session's stage and its channels' direct frames do); their writes go out in the order they were made.
/// Writes go through the stage, or straight onto the carrier once the stage hands the channel its direct route.
/// </summary>
public sealed class SubstreamWriter
{
    private readonly SubstreamChannel _channel;

    internal SubstreamWriter(SubstreamChannel channel) => _channel = channel;

    /// <summary>The substream's name.</summary>
    public string Name => _channel.Name;

    /// <summary>False once our direction is ended, or closed by the peer (reset) or the session.</summary>
    public bool IsWritable => _channel.IsWritable;

    /// <summary>True once our data frames go straight onto the carrier instead of through the stage.</summary>
    public bool SendsDirectly => _channel.SendsDirectly;

    /// <summary>
    /// Sends <paramref name="data"/> (kept as is: do not change its array afterwards). Completes at once
    /// while less than the substream buffer is waiting to be framed, otherwise when enough has gone out.
    /// </summary>
    public ValueTask WriteAsync(ByteString data, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(data, cancellationToken);

    /// <summary>
    /// Sends the bytes of <paramref name="data"/>, which the caller may reuse once this completes: straight from
    /// it onto the socket when the stage has allowed that, else through a copy handed to the stage.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(data, cancellationToken);

    /// <summary>
    /// Sends the bytes of <paramref name="segments"/>, in order, as one write (a nested session's frames, a relay's batch):
    /// straight from them onto the socket when the stage has allowed that, else through one copy handed to the stage. The
    /// caller may reuse the buffers, and the list, once this completes.
    /// </summary>
    internal ValueTask WriteAsync(IReadOnlyList<ArraySegment<byte>> segments, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(segments, cancellationToken);

    /// <summary>
    /// Sends <paramref name="data"/> without waiting for room: for a control substream, whose frames are
    /// queued at once (and bounded by the stage). False if nothing more can be sent on it.
    /// </summary>
    public bool TrySend(ByteString data) => _channel.TrySend(data);

    /// <summary>Ends our direction once everything written is sent (the peer reads end of stream).</summary>
    public void CompleteWrites() => _channel.CompleteWrites();
}
