namespace PxpActors.Bench.Measurement;

/// <summary>
/// Measures a baseline and a contender in alternation (A B, B A, A B, ...), after one untimed warm-up
/// of each, so slow drifts of a shared machine fall on both and neither always runs second.
/// </summary>
public static class AlternatingRuns
{
    /// <param name="baseline">One run; its flag says whether it is the warm-up (shorter, not recorded).</param>
    public static async Task<(List<T> Baseline, List<T> Ours)> MeasureAsync<T>(
        Func<bool, Task<T>> baseline, Func<bool, Task<T>> ours, int repetitions)
    {
        await baseline(true).ConfigureAwait(false);
        await ours(true).ConfigureAwait(false);
        var baselineSamples = new List<T>(repetitions);
        var ourSamples = new List<T>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            if (i % 2 == 0)
            {
                baselineSamples.Add(await baseline(false).ConfigureAwait(false));
                ourSamples.Add(await ours(false).ConfigureAwait(false));
            }
            else
            {
                ourSamples.Add(await ours(false).ConfigureAwait(false));
                baselineSamples.Add(await baseline(false).ConfigureAwait(false));
            }
        }
        return (baselineSamples, ourSamples);
    }
}
