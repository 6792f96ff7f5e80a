namespace PxpActors.Multiplexing;

/// <summary>
/// A reading role of a <see cref="SubstreamChannel"/> (see <see cref="SubstreamChannel.ForwardTo(Akka.Actor.IActorRef)"/>):
/// every chunk the peer sends is handed to an actor or a running stage as <see cref="SubstreamReceived"/>, and the end as
/// <see cref="SubstreamFinished"/>, both naming this forwarding. The target calls <see cref="Release"/> once it has
/// handled a chunk, so at most a substream buffer of chunks waits for it.
/// </summary>
public sealed class SubstreamForwarding
{
    private readonly SubstreamChannel _channel;

    internal SubstreamForwarding(SubstreamChannel channel) => _channel = channel;

    /// <summary>The substream's name.</summary>
    public string Name => _channel.Name;

    /// <summary>A forwarded chunk of <paramref name="bytes"/> has been handled: make room for more.</summary>
    public void Release(int bytes) => _channel.Taken(bytes);

    /// <summary>We read no more: what the peer still sends on this substream is dropped, and nothing more is forwarded.</summary>
    public void StopReading() => _channel.StopReading();
}
