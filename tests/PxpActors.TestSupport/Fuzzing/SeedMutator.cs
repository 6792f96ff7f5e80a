namespace PxpActors.TestSupport.Fuzzing;

/// <summary>
/// The usual input generator of a parser fuzz test: a mutation (<see cref="Mutations.Mutate"/>) of one of several
/// well-formed inputs, picked at random, with pieces of all of them at hand to splice in.
/// </summary>
public static class SeedMutator
{
    public static Func<Random, byte[]> Of(IReadOnlyList<byte[]> seeds)
    {
        if (seeds.Count == 0) throw new ArgumentException("At least one well-formed input is needed.", nameof(seeds));
        var donor = seeds.SelectMany(seed => seed).ToArray();
        return random => Mutations.Mutate(seeds[random.Next(seeds.Count)], random, donor);
    }
}
