namespace PxpActors.Bench.Soak;

/// <summary>The soak command's line: <c>soak [--quick] [--only churn,...] [--file-limit N]</c>.</summary>
public sealed record SoakOptions(bool Quick, IReadOnlySet<string> Only, int FileLimit)
{
    public const string Usage = "usage: PxpActors.Bench soak [--quick] [--only " + Names + "] [--file-limit N (default 512)]";

    private const string Names = "churn,crowd,slow-readers,relay-storm,kill-mid-relay,kill-mid-upgrade,file-limit";

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    /// <summary>Parses the arguments after "soak"; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        var only = new HashSet<string>(StringComparer.Ordinal);
        var fileLimit = 512;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only":
                    foreach (var name in BenchOptions.ValueAfter(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!Names.Split(',').Contains(name)) throw new ArgumentException($"unknown scenario \"{name}\" (known: {Names})");
                        only.Add(name);
                    }
                    break;
                case "--file-limit":
                    if (!int.TryParse(BenchOptions.ValueAfter(args, ref i), out fileLimit) || fileLimit < 64)
                        throw new ArgumentException("--file-limit needs a number of at least 64");
                    break;
                default:
                    throw new ArgumentException($"unknown argument \"{args[i]}\"");
            }
        }
        return new SoakOptions(quick, only, fileLimit);
    }
}
