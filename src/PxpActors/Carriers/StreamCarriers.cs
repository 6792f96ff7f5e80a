using System.Net.Sockets;
using PxpActors.Carriers.Pipes;
using PxpActors.Transports.Tcp;

namespace PxpActors.Carriers;

/// <summary>The carrier a session over a connected <see cref="Stream"/> runs on.</summary>
internal static class StreamCarriers
{
    /// <summary>
    /// A socket's stream runs on the Pipelines carrier when <see cref="TcpCarrierKind.UsePipes"/> says so (the bench's
    /// A/B switch), else on the <see cref="StreamCarrierStage"/>, which lends its read buffers to the multiplexer.
    /// </summary>
    public static CarrierBinding For(Stream stream, TimeSpan writeTimeout, string? transport) =>
        TcpCarrierKind.UsePipes && stream is NetworkStream socket
            ? new PipeCarrierBinding(socket, writeTimeout, transport)
            : new StreamCarrierBinding(stream, writeTimeout, lendReadBuffers: true, transport: transport);
}
