using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PxpActors.Bench.Reporting;

/// <summary>Everything one run measured, with enough about the machine to compare runs.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Profile,
    int ProcessorCount,
    string Os,
    string Runtime,
    string TcpCarrier,
    double ElapsedSeconds,
    IReadOnlyList<BenchResult> Results,
    IReadOnlyList<BenchFailure> Failures)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static BenchReport Create(DateTimeOffset startedAt, string profile, TimeSpan elapsed,
        IReadOnlyList<BenchResult> results, IReadOnlyList<BenchFailure> failures) =>
        new(startedAt, profile, Environment.ProcessorCount, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, TcpCarrierName, Math.Round(elapsed.TotalSeconds, 1), results, failures);

    /// <summary>Which carrier the run's TCP sessions ran on (<c>PXP_TCP_CARRIER</c>, docs/ARCHITECTURE.md).</summary>
    private static string TcpCarrierName => PxpActors.Transports.Tcp.TcpCarrierKind.UsePipes ? "pipe" : "stream";

    public async Task WriteJsonAsync(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json).ConfigureAwait(false);
    }
}
