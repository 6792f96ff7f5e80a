using System.Security.Cryptography;

namespace PxpActors.WebRtc.Tests.PeerConnections;

/// <summary>Large transfers through a data channel's <see cref="Stream"/>, checked by SHA-256 (lowercase hex).</summary>
internal static class StreamChecks
{
    /// <summary>Writes <paramref name="total"/> random bytes in <paramref name="writeSize"/>-byte writes; returns their hash.</summary>
    public static async Task<string> WriteRandomAsync(Stream stream, long total, int writeSize, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[writeSize];
        for (long written = 0; written < total;)
        {
            var count = (int)Math.Min(writeSize, total - written);
            RandomNumberGenerator.Fill(buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
            await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
            written += count;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Reads exactly <paramref name="total"/> bytes; returns their hash. Fails if the stream ends first.</summary>
    public static async Task<string> ReadAsync(Stream stream, long total, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        for (long read = 0; read < total;)
        {
            var count = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, total - read)), cancellationToken);
            if (count == 0)
                throw new EndOfStreamException($"The channel ended after {read} of {total} bytes.");
            hash.AppendData(buffer, 0, count);
            read += count;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
