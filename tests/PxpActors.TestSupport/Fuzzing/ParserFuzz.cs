namespace PxpActors.TestSupport.Fuzzing;

/// <summary>
/// Runs one parser over <see cref="FuzzBudget.Iterations"/> generated inputs and checks the two promises
/// every parser of peer input makes: the only exception that escapes is the parser's own format
/// exception, and one parse allocates no more than its input allows.
/// </summary>
public static class ParserFuzz
{
    /// <param name="nextInput">Makes the next input (usually a mutation of a well-formed one) from the run's random source.</param>
    /// <param name="parse">Parses one input; returning normally means the input was accepted.</param>
    /// <param name="bytesPerInputByte">Allocation allowed per input byte, on top of <paramref name="fixedBytes"/>.</param>
    /// <param name="fixedBytes">Allocation allowed per parse whatever its size (an exception and its stack trace fit).</param>
    /// <exception cref="FuzzFailure">An unexpected exception escaped, or a parse allocated past its bound.</exception>
    public static FuzzReport Run<TFormatException>(Func<Random, byte[]> nextInput, Action<byte[]> parse,
        int bytesPerInputByte = 64, long fixedBytes = 64 * 1024, int? iterations = null, int? seed = null)
        where TFormatException : Exception
    {
        var runSeed = seed ?? FuzzBudget.Seed;
        var random = new Random(runSeed);
        var count = iterations ?? FuzzBudget.Iterations;
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < count; i++)
        {
            var input = nextInput(random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                parse(input);
                accepted++;
            }
            catch (TFormatException)
            {
                refused++;
            }
            catch (Exception e)
            {
                throw new FuzzFailure(
                    $"input {i} (seed {runSeed}) threw {e.GetType().Name}, not {typeof(TFormatException).Name}: {e.Message}\n" +
                    $"input: {Convert.ToHexString(input)}", e);
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var allowed = fixedBytes + (long)bytesPerInputByte * input.Length;
            // The runtime's one-time costs (a long loop's on-stack replacement, tier-up, type loads) land on this thread
            // the first time a path runs: an input past its bound is parsed again, and only the repeat is judged.
            if (allocated > allowed) allocated = AllocatedByAnotherParse<TFormatException>(parse, input);
            if (allocated > allowed)
                throw new FuzzFailure(
                    $"input {i} (seed {runSeed}) of {input.Length} bytes allocated {allocated} bytes (allowed {allowed})\n" +
                    $"input: {Convert.ToHexString(input)}");
        }
        return new FuzzReport(count, accepted, refused);
    }

    private static long AllocatedByAnotherParse<TFormatException>(Action<byte[]> parse, byte[] input) where TFormatException : Exception
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            parse(input);
        }
        catch (TFormatException)
        {
            // Refused again, as the first time.
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>What one fuzz run did: a useful run reaches both the accepting and the refusing paths.</summary>
public sealed record FuzzReport(int Inputs, int Accepted, int Refused)
{
    /// <summary>Throws unless some inputs were accepted and some refused: a run that only ever hits one path tests little.</summary>
    public FuzzReport MustReachBothPaths()
    {
        if (Accepted == 0 || Refused == 0)
            throw new FuzzFailure($"{Inputs} inputs: {Accepted} accepted, {Refused} refused; the generator must reach both");
        return this;
    }
}

public sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);
