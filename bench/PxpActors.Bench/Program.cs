using PxpActors.Bench;

// Stopwatch-based rather than BenchmarkDotNet: every scenario here is end to end (sockets, actor
// systems, child processes, 10,000 sessions) and BenchmarkDotNet's per-benchmark process, pilot and
// overhead phases would take tens of minutes on this 2-core machine for no gain in accuracy. Instead
// each figure is measured with a warm-up, repeated, and set against a baseline measured in the same
// run, interleaved with it where the two can alternate, so machine noise hits both alike.
return await BenchProgram.RunAsync(args);
