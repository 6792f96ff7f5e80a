using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Soak;

/// <summary>Steps the JS scenarios share.</summary>
internal static class JsRounds
{
    /// <summary>
    /// The first candidate the host offers <paramref name="asker"/>, asked again until there is one: the other
    /// node's session may still be starting on the host when the asker's is ready. Asked at most
    /// <see cref="MaxAsks"/> times, well under the host's limit of 100 requests a second per peer.
    /// </summary>
    public static async Task<JsCandidate> FirstCandidateAsync(JsPeer asker, string network)
    {
        for (var ask = 0; ask < MaxAsks; ask++)
        {
            var candidates = await asker.GetPeersAsync(network).ConfigureAwait(false);
            if (candidates.Count > 0) return candidates[0];
        }
        throw new TimeoutException($"the host offered no candidate in {MaxAsks} getpeers");
    }

    private const int MaxAsks = 50;

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds one after another, counting what each reports; a round that throws is a failure
    /// and the next one still runs.
    /// </summary>
    public static async Task<SoakOutcome> RunAsync(int rounds, Func<int, Task<string>> round, string summary, CancellationToken cancel)
    {
        var counter = new OutcomeCounter();
        for (var i = 0; i < rounds && !cancel.IsCancellationRequested; i++)
        {
            try
            {
                counter.Count(await round(i).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                counter.Fail($"round {i}", e);
            }
        }
        return counter.Outcome(summary);
    }
}
