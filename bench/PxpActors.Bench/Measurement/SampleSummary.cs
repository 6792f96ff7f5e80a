namespace PxpActors.Bench.Measurement;

/// <summary>Order statistics of a set of samples (nearest-rank percentiles, no interpolation).</summary>
public sealed record SampleSummary(int Count, double Median, double P99, double Min, double Max, double P90)
{
    public static SampleSummary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("No samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        return new SampleSummary(sorted.Length, MedianOf(sorted), PercentileOf(sorted, 0.99), sorted[0], sorted[^1],
            PercentileOf(sorted, 0.90));
    }

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static double PercentileOf(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
