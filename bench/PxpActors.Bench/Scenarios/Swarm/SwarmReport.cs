using System.Globalization;
using System.Text;
using ScottPlot;

namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>Writes a swarm run's table (markdown) and its degree-convergence plot (PNG, ScottPlot) into the results directory.</summary>
public static class SwarmReport
{
    public static void Write(string directory, string scenario, IReadOnlyList<SwarmRun> runs, int targetDegree)
    {
        if (runs.Count == 0) return;
        Directory.CreateDirectory(directory);
        var table = Path.Combine(directory, $"{scenario}.md");
        var plot = Path.Combine(directory, $"{scenario}-convergence.png");
        File.WriteAllText(table, Table(runs, targetDegree, Path.GetFileName(plot)));
        Plot(runs, targetDegree, plot);
        Console.Error.WriteLine($"  swarm table: {table}\n  swarm plot: {plot}");
    }

    private static string Table(IReadOnlyList<SwarmRun> runs, int targetDegree, string plotFile)
    {
        var first = runs[0];
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"# Swarm at target degree {targetDegree} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
        text.AppendLine();
        text.AppendLine("| nodes | time to degree (s) | s per 1,000 nodes | CPU s to degree | CPU s per 1,000 nodes | GC heap (MiB) | KiB/node | working set (MiB) | msgs/node to converge (getpeers/relay/upgrade) | msgs/node/min steady (getpeers/relay/upgrade) | per node vs first size (time, CPU, heap, msgs) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var run in runs)
        {
            text.AppendLine(c,
                $"| {run.Nodes:N0} | {run.SecondsToDegree:0.#} | {run.SecondsToDegree / run.Nodes * 1000:0.#} | {run.CpuSecondsToDegree:0.#} | {run.CpuSecondsToDegree / run.Nodes * 1000:0.#} | {run.HeapMiB:0} | {run.HeapKiBPerNode:0} | " +
                $"{run.WorkingSetMiB:0} | {run.ConvergingPerNode.Total:0.#} ({run.ConvergingPerNode.GetPeers:0.#}/{run.ConvergingPerNode.Relay:0.#}/{run.ConvergingPerNode.Upgrade:0.#}) | " +
                $"{run.SteadyPerNodeMinute.Total:0.##} ({run.SteadyPerNodeMinute.GetPeers:0.##}/{run.SteadyPerNodeMinute.Relay:0.##}/{run.SteadyPerNodeMinute.Upgrade:0.##}) | " +
                $"{run.SecondsToDegree / run.Nodes / (first.SecondsToDegree / first.Nodes):0.00}×, " +
                $"{run.CpuSecondsToDegree / run.Nodes / (first.CpuSecondsToDegree / first.Nodes):0.00}×, {run.HeapKiBPerNode / first.HeapKiBPerNode:0.00}×, " +
                $"{run.ConvergingPerNode.Total / first.ConvergingPerNode.Total:0.00}× |");
        }
        text.AppendLine();
        text.AppendLine(c, $"Degree convergence: {plotFile}. Final graphs:");
        text.AppendLine();
        foreach (var run in runs) text.AppendLine(c, $"- {run.Graph}");
        return text.ToString();
    }

    private static void Plot(IReadOnlyList<SwarmRun> runs, int targetDegree, string path)
    {
        var plot = new Plot();
        foreach (var run in runs)
        {
            var line = plot.Add.ScatterLine(run.Samples.Select(s => s.Seconds).ToArray(), run.Samples.Select(s => s.ShareAtTarget * 100).ToArray());
            line.LegendText = $"{run.Nodes:N0} nodes";
            line.LineWidth = 2;
        }
        plot.Title($"Nodes at degree ≥ {targetDegree} over time");
        plot.XLabel("seconds since the bootstrap began (wall clock)");
        plot.YLabel($"nodes at degree ≥ {targetDegree} (%)");
        plot.Axes.SetLimitsY(0, 101);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 600);
    }
}
