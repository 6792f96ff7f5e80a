using System.Globalization;
using System.Text;

namespace PxpActors.Bench.Reporting;

/// <summary>The report as a fixed-width text table, one row per figure, notes underneath.</summary>
public static class ResultTable
{
    private static readonly string[] Headers = ["Benchmark", "Metric", "Ours", "Baseline", "Ratio", "Target", "Met"];

    public static string Format(BenchReport report)
    {
        var rows = report.Results.Select(r => new[]
        {
            r.Benchmark,
            r.Metric,
            $"{Number(r.Ours)} {r.Unit}",
            r.Baseline is { } b ? $"{Number(b)} {r.Unit} ({r.BaselineName})" : r.BaselineName,
            r.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-",
            r.Target,
            r.Met switch { true => "yes", false => "NO", null => "-" },
        }).ToList();
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();

        var text = new StringBuilder();
        text.AppendLine($"PxpActors bench ({report.Profile}) {report.StartedAt:u}, {report.ProcessorCount} cores, " +
            $"{report.Runtime}, tcp carrier {report.TcpCarrier}, {report.ElapsedSeconds:0.0} s");
        AppendRow(text, Headers, widths);
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows) AppendRow(text, row, widths);
        var notes = report.Results.Where(r => r.Note is not null).Select(r => $"{r.Benchmark} / {r.Metric}: {r.Note}")
            .Distinct().ToList();
        if (notes.Count > 0) text.AppendLine().AppendLine("Notes:");
        foreach (var note in notes) text.AppendLine("  " + note);
        if (report.Failures.Count > 0) text.AppendLine().AppendLine("FAILED:");
        foreach (var failure in report.Failures) text.AppendLine($"  {failure.Benchmark}: {failure.Error}");
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths) =>
        text.AppendLine(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };
}
