using System.Diagnostics;
using System.Reflection;
using PxpActors.Bench.Reporting;
using PxpActors.Bench.Roles;
using PxpActors.Bench.Scenarios;

namespace PxpActors.Bench;

/// <summary>Runs the selected benchmarks one after another, prints the table and writes the JSON report.</summary>
public static class BenchProgram
{
    private const string ResultsMetadataKey = "PxpActors.BenchResultsDirectory";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "soak") return await Soak.SoakCommand.RunAsync(args[1..]).ConfigureAwait(false);

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{BenchOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        return options.Role switch
        {
            null => await RunSuiteAsync(options).ConfigureAwait(false),
            SwarmRemoteNodeRole.Name => await SwarmRemoteNodeRole.RunAsync(options.RoleArgs).ConfigureAwait(false),
            _ => await MemoryHubRole.RunAsync(options.RoleArgs).ConfigureAwait(false),
        };
    }

    private static async Task<int> RunSuiteAsync(BenchOptions options)
    {
        var profile = options.Quick ? BenchProfile.Quick : BenchProfile.Full;
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = new List<BenchResult>();
        var failures = new List<BenchFailure>();
        (string Name, Func<BenchProfile, Task<IReadOnlyList<BenchResult>>> Run)[] benchmarks =
        [
            (ThroughputBenchmark.Name, ThroughputBenchmark.RunAsync),
            (HandshakeBenchmark.Name, HandshakeBenchmark.RunAsync),
            (RelayBenchmark.Name, RelayBenchmark.RunAsync),
            (MemoryBenchmark.Name, MemoryBenchmark.RunAsync),
            (WebRtcHandshakeBenchmark.Name, WebRtcHandshakeBenchmark.RunAsync),
            (DataChannelBenchmark.Name, DataChannelBenchmark.RunAsync),
            (GetNewPeerBenchmark.Name, GetNewPeerBenchmark.RunAsync),
            (WebSocketBenchmark.Name, WebSocketBenchmark.RunAsync),
            (SwarmBenchmark.Name, SwarmBenchmark.RunAsync),
            (BrowserBenchmark.Name, BrowserBenchmark.RunAsync),
            (SwarmBenchmark.LargeName, SwarmBenchmark.RunLargeAsync),
            (SwarmRemoteBenchmark.Name, SwarmRemoteBenchmark.RunAsync),
        ];
        var outPath = options.OutPath ?? DefaultOutPath();
        SwarmBenchmark.ResultsDirectory = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        foreach (var (name, run) in benchmarks.Where(b => options.Runs(b.Name)))
        {
            Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0} s] {name} ...");
            try
            {
                results.AddRange(await run(profile).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                failures.Add(new BenchFailure(name, $"{e.GetType().Name}: {e.Message}"));
            }
        }

        var report = BenchReport.Create(startedAt, profile.Name, clock.Elapsed, results, failures);
        Console.WriteLine(ResultTable.Format(report));
        await report.WriteJsonAsync(outPath).ConfigureAwait(false);
        Console.WriteLine($"JSON report: {Path.GetFullPath(outPath)}");
        return failures.Count == 0 ? 0 : 1;
    }

    private static string DefaultOutPath()
    {
        var directory = typeof(BenchProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == ResultsMetadataKey)?.Value ?? Path.Combine(Directory.GetCurrentDirectory(), "bench-results");
        return Path.Combine(directory, "latest.json");
    }
}
