namespace PxpActors.TestSupport.Fuzzing;

/// <summary>
/// The usual input generator of a fuzz test: one of several well-formed inputs, mutated, with pieces of
/// another as donor. Now and then a seed goes through untouched, so the accepting path is always reached.
/// </summary>
public static class MutatedInputs
{
    /// <summary>One in this many inputs is a seed as it is.</summary>
    private const int UntouchedEvery = 16;

    public static Func<Random, byte[]> Of(IReadOnlyList<byte[]> wellFormed)
    {
        if (wellFormed.Count == 0) throw new ArgumentException("needs at least one well-formed input", nameof(wellFormed));
        return random =>
        {
            var seed = wellFormed[random.Next(wellFormed.Count)];
            if (random.Next(UntouchedEvery) == 0) return seed.ToArray();
            return Mutations.Mutate(seed, random, wellFormed[random.Next(wellFormed.Count)]);
        };
    }
}
