namespace PxpActors.Bench.Measurement;

/// <summary>One timed transfer: wall-clock throughput, and the CPU time and managed allocations it cost per byte moved.</summary>
public sealed record TransferRate(double BytesPerSecond, double CpuSecondsPerByte, double AllocatedBytesPerByte)
{
    public double MegabytesPerSecond => BytesPerSecond / 1e6;

    /// <summary>CPU milliseconds per 10^6 bytes moved.</summary>
    public double CpuMsPerMegabyte => CpuSecondsPerByte * 1e9;
}
