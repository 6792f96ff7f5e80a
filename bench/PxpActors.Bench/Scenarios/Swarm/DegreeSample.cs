namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>One look at a swarm: seconds since its bootstrap began, its degrees, and the share of nodes at the target degree.</summary>
public sealed record DegreeSample(double Seconds, int MinDegree, double AverageDegree, double ShareAtTarget);
