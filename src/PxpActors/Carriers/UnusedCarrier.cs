using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Carriers;

/// <summary>A byte flow that will carry nothing (its session or relay was refused): run it empty, so it can release what it opened.</summary>
internal static class UnusedCarrier
{
    public static void Discard(Flow<ByteString, ByteString, NotUsed> flow, IMaterializer materializer)
    {
        try
        {
            Source.Empty<ByteString>().Via(flow).RunWith(Sink.Ignore<ByteString>(), materializer);
        }
        catch (Exception)
        {
            // A materializer already shut down with the node: there is nothing left to release it into.
        }
    }
}
