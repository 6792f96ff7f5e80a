namespace PxpActors.Multiplexing;

/// <summary>
/// The materialized handle of a <see cref="MultiplexerStage"/>. Thread-safe: every call is handed to
/// the running stage, which alone owns the multiplexer's state.
/// </summary>
public interface IMultiplexer
{
    /// <summary>
    /// Registers <paramref name="name"/>: our outgoing channel of that name (announced lazily, with its
    /// first frame) and the peer's channel of the same name, including one it opened before we asked.
    /// Its two directions are a source and a sink to materialize.
    /// </summary>
    Task<Substream> OpenAsync(string name);

    /// <summary>
    /// Registers <paramref name="name"/> as <see cref="OpenAsync"/> does, used directly through a channel
    /// instead of a graph, which is returned at once (usable at once: calls reach the stage in order). If
    /// the stage refuses the name (already open, too many substreams, closing) the channel fails with the
    /// reason. A <paramref name="control"/> substream's frames go out ahead of every data frame queued
    /// after them (RPC replies before the bytes they unlock), bounded by
    /// <see cref="MultiplexerSettings.MaxQueuedControlFrames"/>.
    /// </summary>
    SubstreamChannel OpenChannel(string name, bool control = false);

    /// <summary>Sends what is queued, then closes the transport. Open substreams end.</summary>
    void Close();

    /// <summary>
    /// Closes once our side of <paramref name="substream"/> has ended and its frames are written: a
    /// parting reply on "pxp" reaches the peer before the transport closes.
    /// </summary>
    void CloseAfter(string substream);

    /// <summary>Tears the session down at once with <paramref name="reason"/>.</summary>
    void Abort(Exception reason);

    /// <summary>Completes when the stage has stopped; faulted with the reason if it failed.</summary>
    Task Completion { get; }
}
