using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>A channel the peer opened: its data waits here until the substream's reader pulls.</summary>
internal sealed class RemoteChannel(uint number, string name)
{
    public uint Number { get; } = number;

    public string Name { get; } = name;

    public Queue<ByteString> Buffer { get; } = new();

    public long BufferedBytes { get; set; }

    public bool Ended { get; set; }

    /// <summary>Nobody claimed it in time: what the peer sends on it is dropped.</summary>
    public bool Reaped { get; set; }

    /// <summary>The name we registered that claims it; null while unclaimed.</summary>
    public NamedSubstream? Owner { get; set; }
}
