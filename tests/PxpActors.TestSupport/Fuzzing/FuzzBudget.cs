namespace PxpActors.TestSupport.Fuzzing;

/// <summary>
/// How long the parser fuzz tests run. CI runs a short seeded run (the defaults); a long run outside CI
/// sets <c>PXP_FUZZ_ITERATIONS=1000000</c> (and any <c>PXP_FUZZ_SEED</c>) and filters on
/// <c>Category=Fuzz</c> (docs/fuzzing.md).
/// </summary>
public static class FuzzBudget
{
    /// <summary>Inputs per parser.</summary>
    public static int Iterations { get; } = Read("PXP_FUZZ_ITERATIONS", 2_000);

    /// <summary>The seed every fuzz test starts from, so a failure is reproduced by running it again.</summary>
    public static int Seed { get; } = Read("PXP_FUZZ_SEED", 20_261_207);

    /// <summary>The test trait that selects the fuzz tests: <c>--filter Category=Fuzz</c>.</summary>
    public const string Category = "Fuzz";

    private static int Read(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;
}
