namespace PxpActors.Streams.Multiplexer;

/// <summary>An open on its way to the stage: a graph substream, or a channel (control or not).</summary>
internal sealed record OpenRequest(
    string Name,
    TaskCompletionSource<Substream>? ForGraph,
    TaskCompletionSource<SubstreamChannel>? ForChannel,
    bool Control)
{
    public void Fail(Exception reason)
    {
        ForGraph?.TrySetException(reason);
        ForChannel?.TrySetException(reason);
    }
}
