using Xunit;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// The data-channel interop tests push tens of MiB through node and Chromium; they run on their own, after
/// the parallel tests, so their CPU load does not starve the timing-sensitive loss tests of other classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyInteropCollection
{
    public const string Name = "Heavy data-channel interop";
}
