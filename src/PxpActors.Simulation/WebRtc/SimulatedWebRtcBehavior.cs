namespace PxpActors.Simulation.WebRtc;

/// <summary>How simulated WebRTC connections come up: after a delay, and failing at a given rate (each null/zero: never).</summary>
/// <param name="ConnectDelay">Time from the answer to an open connection (on the simulation's clock, virtual or real).</param>
/// <param name="FailureRate">The share of connections that fail instead of connecting, in [0, 1].</param>
public sealed record SimulatedWebRtcBehavior(TimeSpan ConnectDelay, double FailureRate)
{
    /// <summary>Every connection comes up at once.</summary>
    public static SimulatedWebRtcBehavior Immediate { get; } = new(TimeSpan.Zero, 0);
}
