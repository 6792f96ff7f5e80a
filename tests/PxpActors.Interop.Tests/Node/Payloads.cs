using System.Security.Cryptography;

namespace PxpActors.Interop.Tests.Node;

/// <summary>Test payloads and reading them back from our application connections.</summary>
internal static class Payloads
{
    public const int OneMiB = 1024 * 1024;

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Checksum(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>Exactly <paramref name="length"/> bytes from one of our connections, or a timeout naming how many came.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Stream stream, int length, TimeSpan timeout)
    {
        var buffer = new byte[length];
        var read = 0;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (read < length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cts.Token);
                if (n == 0) throw new EndOfStreamException($"The connection ended after {read} of {length} bytes");
                read += n;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Only {read} of {length} bytes arrived within {timeout}");
        }
        return buffer;
    }

    /// <summary>Waits for the end of one of our connections (the peer ended or the session closed).</summary>
    public static async Task WaitForEndAsync(this Stream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
                // Whatever is still in flight is not what this wait is about.
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The connection did not end within {timeout}");
        }
    }
}
