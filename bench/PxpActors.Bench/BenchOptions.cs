namespace PxpActors.Bench;

/// <summary>The command line: which benchmarks, how long, where the JSON goes, or a child role to play.</summary>
public sealed record BenchOptions(bool Quick, string? OutPath, IReadOnlySet<string> Only, string? Role, IReadOnlyList<string> RoleArgs)
{
    public static readonly IReadOnlyList<string> BenchmarkNames = ["throughput", "handshake", "memory", "relay", "webrtc-handshake", "datachannel", "getnewpeer", "websocket", "swarm", "browser", "swarm-10k", "swarm-remote"];

    /// <summary>Benchmarks that run only when named in --only (they take many minutes).</summary>
    public static readonly IReadOnlySet<string> OptInNames = new HashSet<string> { "swarm-10k", "swarm-remote" };

    public const string Usage =
        "usage: PxpActors.Bench [--quick] [--out FILE] [--only throughput,handshake,memory,relay,webrtc-handshake,datachannel,getnewpeer,websocket,swarm,browser,swarm-10k,swarm-remote]\n" +
        "       PxpActors.Bench soak [--quick] [--only SCENARIOS] [--file-limit N]   (the host soak, docs/soak.md)";

    public bool Runs(string benchmark) => Only.Count == 0 ? !OptInNames.Contains(benchmark) : Only.Contains(benchmark);

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        string? outPath = null;
        var only = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    outPath = ValueAfter(args, ref i);
                    break;
                case "--only":
                    foreach (var name in ValueAfter(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!BenchmarkNames.Contains(name))
                            throw new ArgumentException($"unknown benchmark \"{name}\" (known: {string.Join(", ", BenchmarkNames)})");
                        only.Add(name);
                    }
                    break;
                case "--role":
                    // Internal: the bench starts copies of itself as the hub and swarm processes of the memory benchmark,
                    // and as the second process of swarm-remote.
                    var role = ValueAfter(args, ref i);
                    if (role != Roles.MemoryHubRole.Name && role != Roles.SwarmRemoteNodeRole.Name) throw new ArgumentException($"unknown role \"{role}\"");
                    return new BenchOptions(quick, outPath, only, role, args.Skip(i + 1).ToList());
                default:
                    throw new ArgumentException($"unknown argument \"{args[i]}\"");
            }
        }
        return new BenchOptions(quick, outPath, only, null, []);
    }

    /// <summary>The value after option <c>args[i]</c>, moving <paramref name="i"/> onto it.</summary>
    internal static string ValueAfter(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
        return args[++i];
    }
}
