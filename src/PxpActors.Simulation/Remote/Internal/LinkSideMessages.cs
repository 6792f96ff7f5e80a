using Akka.Streams;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>The side's flow ran: its outgoing bytes are offered to the other side through <paramref name="Outgoing"/>.</summary>
internal sealed record LocalOutgoingReady(ISourceRef<byte[]> Outgoing);

/// <summary>The side's flow asks for the other side's outgoing bytes; answered with <see cref="PartnerOutgoing"/> or a failure.</summary>
internal sealed record AwaitPartnerOutgoing
{
    public static AwaitPartnerOutgoing Instance { get; } = new();
}

/// <summary>The other side's outgoing bytes, to be read once.</summary>
internal sealed record PartnerOutgoing(ISourceRef<byte[]> Source);

/// <summary>The side's flow ended (null: completed).</summary>
internal sealed record LocalStreamEnded(Exception? Error);

/// <summary>The side's flow runs; its two directions can be aborted through these.</summary>
internal sealed record LocalRunning(IKillSwitch Sending, IKillSwitch Receiving);
