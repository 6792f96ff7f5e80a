namespace PxpActors.Transports.Tcp;

/// <summary>
/// Which carrier a TCP session runs on (docs/ARCHITECTURE.md, "The session layer"): today's hand-written one, or the
/// System.IO.Pipelines one kept to measure against it. An internal switch for the bench's paired A/B runs, read once
/// from the environment variable <c>PXP_TCP_CARRIER</c> (<c>pipe</c>; anything else, or unset: the stream carrier).
/// </summary>
internal static class TcpCarrierKind
{
    /// <summary>The environment variable the switch is read from; child processes (the bench's memory hub) inherit it.</summary>
    public const string Variable = "PXP_TCP_CARRIER";

    /// <summary>True when TCP sessions run on the Pipelines carrier.</summary>
    public static bool UsePipes { get; } = Environment.GetEnvironmentVariable(Variable) is "pipe" or "pipes";
}
