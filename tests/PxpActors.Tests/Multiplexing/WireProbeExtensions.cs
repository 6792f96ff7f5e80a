using Akka.IO;
using Akka.Streams.TestKit;

namespace PxpActors.Tests.Multiplexing;

internal static class WireProbeExtensions
{
    /// <summary>Skips frames the stage wrote before it failed (answers to ends, say) and returns the failure.</summary>
    public static Exception ExpectErrorOrFrames(this TestSubscriber.Probe<ByteString> wire)
    {
        while (true)
        {
            var next = wire.ExpectNextOrError();
            if (next is Exception error) return error;
            WireFrame.AllFromElement((ByteString)next);
        }
    }
}
