using System.Text;

namespace PxpActors.WebRtc.DataChannels;

/// <summary>One message received on a data channel: text (PPID 51/56) or binary (53/57).</summary>
public sealed record DataChannelMessage(ReadOnlyMemory<byte> Data, bool IsText)
{
    /// <summary>The message read as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);
}
