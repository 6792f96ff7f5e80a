using PxpActors.WebRtc.IO;

namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// A data channel seen as a byte stream: each write sends one binary message (split at the maximum
/// message size), reads return message bytes in order, end of stream when the channel closes.
/// </summary>
internal sealed class DataChannelStream(DataChannel channel) : DuplexStream
{
    private ReadOnlyMemory<byte> _current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            var message = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (message is null)
                return 0;
            _current = message.Data;
        }
        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var limit = channel.MaxMessageSize;
        while (!buffer.IsEmpty)
        {
            var part = buffer[..Math.Min(limit, buffer.Length)];
            await channel.SendAsync(part, cancellationToken).ConfigureAwait(false);
            buffer = buffer[part.Length..];
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await channel.CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _ = channel.CloseAsync(); // synchronous Dispose only starts the close; DisposeAsync waits for it
        base.Dispose(disposing);
    }
}
