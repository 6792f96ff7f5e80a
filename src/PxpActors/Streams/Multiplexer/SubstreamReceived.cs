using Akka.IO;

namespace PxpActors.Streams.Multiplexer;

/// <summary>A chunk the peer sent on a forwarded <see cref="SubstreamChannel"/>; call <see cref="SubstreamChannel.Release"/> when handled.</summary>
public sealed record SubstreamReceived(SubstreamChannel Channel, ByteString Data);
