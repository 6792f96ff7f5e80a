using PxpActors.WebRtc.IO;

namespace PxpActors.Simulation.WebRtc;

/// <summary>A simulated data channel as a byte stream: each write is sent as messages, messages are read as one byte stream.</summary>
internal sealed class SimulatedChannelStream(SimulatedDataChannel channel) : DuplexStream
{
    private ReadOnlyMemory<byte> _rest;
    private bool _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_rest.IsEmpty && !_ended)
        {
            if (await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } message) _rest = message.Data;
            else _ended = true;
        }
        if (_ended && _rest.IsEmpty) return 0;
        var n = Math.Min(buffer.Length, _rest.Length);
        _rest[..n].CopyTo(buffer);
        // Let go of a message read to its end: an idle channel would otherwise keep its last message alive.
        _rest = n == _rest.Length ? default : _rest[n..];
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var offset = 0; offset < buffer.Length; offset += channel.MaxMessageSize)
            await channel.SendAsync(buffer.Slice(offset, Math.Min(channel.MaxMessageSize, buffer.Length - offset)), cancellationToken)
                .ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _ = channel.CloseAsync();
        base.Dispose(disposing);
    }
}
