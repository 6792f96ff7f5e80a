using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>
/// One registered substream name as the <see cref="ChannelTable{TSubstream}"/> sees it: our channel, the peer's once it
/// opened one, and whether each direction is over. The stage's own record adds its ports.
/// </summary>
internal abstract class NamedSubstream(string name, LocalChannel local)
{
    public string Name { get; } = name;

    public LocalChannel Local { get; } = local;

    public RemoteChannel? Remote { get; set; }

    /// <summary>Our direction takes no more writes.</summary>
    public bool WriterDone { get; set; }

    /// <summary>Our reader is gone or has everything: nothing more is delivered.</summary>
    public bool ReaderDone { get; set; }

    /// <summary>A control substream (RPC): its frames skip the round-robin.</summary>
    public bool Control { get; set; }

    /// <summary>Written and not yet framed.</summary>
    public ByteString Pending { get; set; } = ByteString.Empty;

    /// <summary>In the <see cref="FrameScheduler"/>'s round-robin.</summary>
    public bool QueuedForSend { get; set; }

    /// <summary>Waiting to be handed the carrier's direct route once it has sent all the stage pushed.</summary>
    public bool GoingDirect { get; set; }
}
