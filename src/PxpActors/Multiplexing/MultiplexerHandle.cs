using Akka.IO;
using PxpActors.Resources;

namespace PxpActors.Multiplexing;

/// <summary>
/// Thread-safe front of a multiplexer's logic: calls, the channels' included, become one async callback
/// into the stage, so they arrive in the order they were made (an open before the first write on it).
/// </summary>
internal sealed class MultiplexerHandle(int channelWindow, SessionBuffer budget) : IMultiplexer, ISubstreamChannelHost
{
    /// <summary>What the session holds for its readers, charged to the node's budget.</summary>
    public SessionBuffer Budget { get; } = budget;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<OpenRequest> _pendingOpens = [];
    private readonly List<object> _beforeStart = [];
    private Action<object>? _call;
    private Exception? _stoppedWith;

    public Task Completion => _completion.Task;

    /// <summary>
    /// Called from the stage's PreStart with its one async callback, which takes an <see cref="OpenRequest"/>,
    /// a <see cref="CloseCall"/>, a <see cref="CloseAfterCall"/> or an <see cref="AbortCall"/>. Calls made
    /// before it are handed to <paramref name="now"/> at once, in order (the stage is starting: nothing it
    /// reads may overtake them).
    /// </summary>
    public void Bind(Action<object> call, Action<object> now)
    {
        lock (_beforeStart)
        {
            foreach (var early in _beforeStart) now(early);
            _beforeStart.Clear();
            Volatile.Write(ref _call, call);
        }
    }

    public Task<Substream> OpenAsync(string name)
    {
        var promise = new TaskCompletionSource<Substream>(TaskCreationOptions.RunContinuationsAsynchronously);
        Request(new OpenRequest(name, promise, null, Control: false));
        return promise.Task;
    }

    public SubstreamChannel OpenChannel(string name, bool control = false)
    {
        var channel = new SubstreamChannel(name, this, channelWindow, Budget);
        Request(new OpenRequest(name, null, channel, control));
        return channel;
    }

    public void Close() => Call(CloseCall.Instance);

    public void CloseAfter(string substream) => Call(new CloseAfterCall(substream));

    public void Abort(Exception reason) => Call(new AbortCall(reason));

    void ISubstreamChannelHost.Write(SubstreamChannel channel, ByteString data) =>
        Call(new ChannelCall(channel, ChannelCallKind.Write, data));

    void ISubstreamChannelHost.CompleteWrites(SubstreamChannel channel) =>
        Call(new ChannelCall(channel, ChannelCallKind.CompleteWrites));

    void ISubstreamChannelHost.StopReading(SubstreamChannel channel) =>
        Call(new ChannelCall(channel, ChannelCallKind.StopReading));

    void ISubstreamChannelHost.RoomFreed(SubstreamChannel channel) =>
        Call(new ChannelCall(channel, ChannelCallKind.RoomFreed));

    private void Request(OpenRequest request)
    {
        lock (_pendingOpens)
        {
            if (_stoppedWith is not null)
            {
                request.Fail(Closed());
                return;
            }
            _pendingOpens.Add(request);
        }
        Call(request);
    }

    private void Call(object call)
    {
        if (Volatile.Read(ref _call) is null)
        {
            lock (_beforeStart)
            {
                if (_call is null)
                {
                    _beforeStart.Add(call);
                    return;
                }
            }
        }
        _call!(call);
    }

    /// <summary>Called by the stage when it has answered an open (either way).</summary>
    public void Answered(OpenRequest request)
    {
        lock (_pendingOpens) _pendingOpens.Remove(request);
    }

    /// <summary>Called from PostStop: fails opens the stage will never see, then completes.</summary>
    public void Stopped(Exception? failure)
    {
        OpenRequest[] orphans;
        lock (_pendingOpens)
        {
            _stoppedWith = failure ?? new MultiplexerClosedException("The PXP session is closed");
            orphans = [.. _pendingOpens];
            _pendingOpens.Clear();
        }
        foreach (var orphan in orphans) orphan.Fail(Closed());
        if (failure is null) _completion.TrySetResult();
        else _completion.TrySetException(failure);
    }

    private MultiplexerClosedException Closed() =>
        new("The PXP session is closed", _stoppedWith is MultiplexerClosedException ? null : _stoppedWith);
}

/// <summary>Close after sending what is queued.</summary>
internal sealed record CloseCall
{
    public static CloseCall Instance { get; } = new();
}

internal sealed record CloseAfterCall(string Substream);

internal sealed record AbortCall(Exception Reason);
