namespace PxpActors.Bench.Reporting;

/// <summary>
/// One line of the report: our figure, the baseline it is set against and their ratio (ours ÷ baseline).
/// <paramref name="Met"/> is null when the line has no target of its own (context figures); a baseline
/// near zero gives no meaningful ratio, so none is shown below <see cref="SmallestRatioBase"/>.
/// </summary>
public sealed record BenchResult(
    string Benchmark,
    string Metric,
    string Unit,
    double Ours,
    string BaselineName,
    double? Baseline,
    string Target,
    bool? Met,
    string? Note = null,
    IReadOnlyDictionary<string, double>? Details = null)
{
    public const double SmallestRatioBase = 0.01;

    public double? Ratio => Baseline is >= SmallestRatioBase ? Ours / Baseline.Value : null;
}
