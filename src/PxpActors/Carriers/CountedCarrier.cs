using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Diagnostics;

namespace PxpActors.Carriers;

/// <summary>
/// A session's transport given as a byte flow (a WebRTC data channel, an in-memory link), with its bytes counted in
/// <c>pxp.bytes.received</c> / <c>pxp.bytes.sent</c> under its name, once per element: each is one message of that transport.
/// </summary>
internal static class CountedCarrier
{
    public static Flow<ByteString, ByteString, NotUsed> Create(Flow<ByteString, ByteString, NotUsed> transport, string name)
    {
        var traffic = new TransportTraffic(name);
        return Flow.Create<ByteString>()
            .Select(sent =>
            {
                traffic.Sent(sent.Count);
                return sent;
            })
            .Via(transport)
            .Select(received =>
            {
                traffic.Received(received.Count);
                return received;
            });
    }
}
