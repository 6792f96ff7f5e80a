namespace PxpActors.Bench.Reporting;

/// <summary>A benchmark that could not finish; the rest of the run goes on and the report says why.</summary>
public sealed record BenchFailure(string Benchmark, string Error);
