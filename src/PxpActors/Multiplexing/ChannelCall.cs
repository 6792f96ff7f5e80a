using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>What a <see cref="SubstreamChannel"/> asks of its running stage.</summary>
internal enum ChannelCallKind { Write, CompleteWrites, StopReading, RoomFreed }

/// <summary>One call of a channel on its way to the stage, in order with every other call to it.</summary>
internal sealed record ChannelCall(SubstreamChannel Channel, ChannelCallKind Kind, ByteString? Data = null);
