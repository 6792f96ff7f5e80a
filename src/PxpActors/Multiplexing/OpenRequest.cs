namespace PxpActors.Multiplexing;

/// <summary>
/// An open on its way to the stage: a graph substream (answered through <see cref="ForGraph"/>), or a
/// channel already handed to the caller (<see cref="Channel"/>), which fails if the stage refuses it.
/// </summary>
internal sealed record OpenRequest(
    string Name,
    TaskCompletionSource<Substream>? ForGraph,
    SubstreamChannel? Channel,
    bool Control)
{
    public void Fail(Exception reason)
    {
        ForGraph?.TrySetException(reason);
        Channel?.Fail(reason);
    }
}
