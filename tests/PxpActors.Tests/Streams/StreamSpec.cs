using Akka.Streams;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace PxpActors.Tests.Streams;

/// <summary>
/// Base of the stage specs: a materializer whose input buffers hold one element, so backpressure is
/// visible at the probes, and every test body runs inside AssertAllStagesStoppedAsync.
/// </summary>
public abstract class StreamSpec : TestKit
{
    protected StreamSpec(ITestOutputHelper output) : base("akka.loglevel = WARNING", output) =>
        Materializer = ActorMaterializer.Create(Sys, ActorMaterializerSettings.Create(Sys).WithInputBuffer(1, 1));

    protected ActorMaterializer Materializer { get; }

    protected Task StagesStopAfter(Func<Task> test) =>
        Akka.Streams.TestKit.Utils.AssertAllStagesStoppedAsync(this, test, Materializer);
}
