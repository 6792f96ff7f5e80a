namespace PxpActors.Streams.Multiplexer;

/// <summary>Thread-safe front of a multiplexer's logic: calls become async callbacks into the stage.</summary>
internal sealed class MultiplexerHandle : IMultiplexer
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<OpenRequest> _pendingOpens = [];
    private readonly List<Action> _beforeStart = [];
    private Action<OpenRequest>? _open;
    private Action? _close;
    private Action<string>? _closeAfter;
    private Action<Exception>? _abort;
    private Exception? _stoppedWith;

    public Task Completion => _completion.Task;

    /// <summary>Called from the stage's PreStart; calls made before it are replayed in order.</summary>
    public void Bind(Action<OpenRequest> open, Action close, Action<string> closeAfter, Action<Exception> abort)
    {
        Action[] early;
        lock (_beforeStart)
        {
            _open = open;
            _close = close;
            _closeAfter = closeAfter;
            _abort = abort;
            early = [.. _beforeStart];
            _beforeStart.Clear();
        }
        foreach (var call in early) call();
    }

    public Task<Substream> OpenAsync(string name)
    {
        var promise = new TaskCompletionSource<Substream>(TaskCreationOptions.RunContinuationsAsynchronously);
        Request(new OpenRequest(name, promise, null, Control: false));
        return promise.Task;
    }

    public Task<SubstreamChannel> OpenChannelAsync(string name, bool control = false)
    {
        var promise = new TaskCompletionSource<SubstreamChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        Request(new OpenRequest(name, null, promise, control));
        return promise.Task;
    }

    public void Close() => WhenStarted(() => _close!());

    public void CloseAfter(string substream) => WhenStarted(() => _closeAfter!(substream));

    public void Abort(Exception reason) => WhenStarted(() => _abort!(reason));

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
        WhenStarted(() => _open!(request));
    }

    private void WhenStarted(Action call)
    {
        lock (_beforeStart)
        {
            if (_open is null)
            {
                _beforeStart.Add(call);
                return;
            }
        }
        call();
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
