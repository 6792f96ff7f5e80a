using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Carriers;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>
/// The two halves a hub opens for one relay: <paramref name="Source"/> toward the asker, and toward the candidate
/// either a substream of its session (<paramref name="DestinationChannel"/>) or a custom candidate's stream
/// (<paramref name="Destination"/>). Whoever ends up holding them without piping them must close them: a half left
/// open holds a slot of that peer's substream table for as long as its session lives.
/// </summary>
internal sealed record RelayHalves(
    SubstreamChannel Source,
    SubstreamChannel? DestinationChannel,
    Flow<ByteString, ByteString, NotUsed>? Destination)
{
    /// <summary>
    /// Opens both halves. Never faults: when either fails, what did open is closed again and the failure is the
    /// result's error.
    /// </summary>
    public static async Task<(RelayHalves? Halves, string? Error)> OpenAsync(SubstreamChannel source,
        Task<SubstreamChannel>? toPeer, Task<Flow<ByteString, ByteString, NotUsed>>? toCustom, IMaterializer materializer)
    {
        var sourceOpened = OpenedAsync(source);
        var destination = toPeer ?? (Task)toCustom!;
        try
        {
            await Task.WhenAll(sourceOpened, destination).ConfigureAwait(false);
            return (new RelayHalves(source, toPeer?.Result, toCustom?.Result), null);
        }
        catch (Exception e)
        {
            source.Close();
            if (toPeer is { IsCompletedSuccessfully: true }) toPeer.Result.Close();
            if (toCustom is { IsCompletedSuccessfully: true }) UnusedCarrier.Discard(toCustom.Result, materializer);
            var cause = (destination.Exception ?? sourceOpened.Exception)?.GetBaseException() ?? e;
            return (null, cause is TaskCanceledException ? "relay was cancelled" : cause.Message);
        }
    }

    /// <summary>Closes both halves with end frames (never a reset: PROTOCOL.md section 6).</summary>
    public void Close(IMaterializer materializer)
    {
        Source.Close();
        DestinationChannel?.Close();
        if (Destination is { } flow) UnusedCarrier.Discard(flow, materializer);
    }

    private static async Task<SubstreamChannel> OpenedAsync(SubstreamChannel channel)
    {
        await channel.Opened.ConfigureAwait(false);
        return channel;
    }
}
