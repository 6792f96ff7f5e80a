namespace PxpActors.Tests.Support;

public static class StreamExtensions
{
    /// <summary>Reads exactly <paramref name="length"/> bytes, or throws at end of stream or timeout.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Stream stream, int length, TimeSpan? timeout = null)
    {
        var buffer = new byte[length];
        using var cts = new CancellationTokenSource(timeout ?? TestNode.Timeout);
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    /// <summary>Reads until the peer ends the stream; returns how many bytes arrived.</summary>
    public static async Task<int> ReadToEndAsync(this Stream stream, TimeSpan? timeout = null)
    {
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(timeout ?? TestNode.Timeout);
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0) total += read;
        return total;
    }
}
