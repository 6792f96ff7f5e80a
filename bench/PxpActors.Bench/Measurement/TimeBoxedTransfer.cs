using System.Diagnostics;

namespace PxpActors.Bench.Measurement;

/// <summary>
/// One-way throughput of a connected pair of streams. The writer sends fixed-size blocks for a set time;
/// the last block ends with a 1 where every other block holds only zeros, so the reader knows where
/// the transfer ends without closing the connection (one connection serves every repetition) and
/// without a side channel that could race the data.
/// </summary>
public static class TimeBoxedTransfer
{
    /// <summary>
    /// Bytes per second from the first write until the reader has the last byte, and the process's CPU
    /// time and managed allocations per byte meanwhile (both ends run in this process). CPU per byte is
    /// the steadier figure on a shared machine: other processes stretch the wall clock, not our CPU time.
    /// </summary>
    public static async Task<TransferRate> MeasureAsync(Stream writer, Stream reader, TimeSpan duration, int blockSize,
        CancellationToken cancellationToken = default)
    {
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        var reading = ReadUntilMarkerAsync(reader, blockSize, cancellationToken);
        var written = await WriteForAsync(writer, duration, blockSize, clock, cancellationToken).ConfigureAwait(false);
        var read = await reading.ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        if (read != written) throw new InvalidOperationException($"Transfer lost bytes: wrote {written}, read {read}");
        return new TransferRate(written / elapsed.TotalSeconds, cpu.TotalSeconds / written, (double)allocated / written);
    }

    private static async Task<long> WriteForAsync(Stream writer, TimeSpan duration, int blockSize, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var block = new byte[blockSize];
        long written = 0;
        while (clock.Elapsed < duration)
        {
            await writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            written += blockSize;
        }
        var last = new byte[blockSize];
        last[^1] = 1;
        await writer.WriteAsync(last, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return written + blockSize;
    }

    private static async Task<long> ReadUntilMarkerAsync(Stream reader, int blockSize, CancellationToken cancellationToken)
    {
        var buffer = new byte[blockSize];
        long received = 0;
        while (true)
        {
            var n = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new EndOfStreamException($"The connection ended after {received} bytes, before the transfer's last block");
            // Only the final byte of each block can be the marker; look at those offsets alone.
            var firstBlockEnd = (int)((blockSize - 1 - received % blockSize) % blockSize);
            for (var i = firstBlockEnd; i < n; i += blockSize)
            {
                if (buffer[i] != 1) continue;
                if (i != n - 1) throw new InvalidOperationException("Bytes arrived after the transfer's last block");
                return received + n;
            }
            received += n;
        }
    }
}
