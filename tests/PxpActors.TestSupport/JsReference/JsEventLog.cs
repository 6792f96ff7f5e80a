using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Every event the driver reported, in order, with waits that look at past and future _events
/// alike (so a test cannot miss an event that arrived before it started waiting). Bounded: past
/// <see cref="Capacity"/> _events the log fails every wait rather than grow without limit.
/// </summary>
public sealed class JsEventLog
{
    public const int Capacity = 200_000;

    private readonly object _gate = new();
    private readonly List<JsEvent> _events = [];
    private TaskCompletionSource _changed = NewSignal();
    private JsReferenceException? _ended;

    /// <summary>A copy of every event so far.</summary>
    public IReadOnlyList<JsEvent> Snapshot()
    {
        lock (_gate)
        {
            return _events.ToArray();
        }
    }

    /// <summary>The first event (past or future) that matches.</summary>
    public Task<JsEvent> WaitForAsync(Func<JsEvent, bool> match, TimeSpan timeout, string description) =>
        WaitForAsync(
            all =>
            {
                foreach (var e in all)
                {
                    if (match(e))
                    {
                        return (true, e);
                    }
                }

                return (false, null!);
            },
            timeout,
            description);

    /// <summary>
    /// Re-evaluates <paramref name="probe"/> over all _events whenever one arrives, until it reports
    /// Found. Throws <see cref="JsReferenceException"/> on timeout or when the driver has exited.
    /// </summary>
    public async Task<T> WaitForAsync<T>(
        Func<IReadOnlyList<JsEvent>, (bool Found, T Value)> probe, TimeSpan timeout, string description)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                var (found, value) = probe(_events);
                if (found)
                {
                    return value;
                }

                if (_ended is not null)
                {
                    throw new JsReferenceException($"Waiting for {description}: {_ended.Message}", inner: _ended);
                }

                signal = _changed.Task;
            }

            var remaining = timeout - clock.Elapsed;
            try
            {
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await signal.WaitAsync(remaining).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new JsReferenceException(
                    $"Timed out after {timeout} waiting for {description}. Last events:\n{Tail(15)}");
            }
        }
    }

    /// <summary>Every event from the first, then each new one as it arrives, until the driver exits.</summary>
    public async IAsyncEnumerable<JsEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var next = 0;
        while (true)
        {
            JsEvent? item = null;
            Task signal;
            lock (_gate)
            {
                if (next < _events.Count)
                {
                    item = _events[next++];
                }
                else if (_ended is not null)
                {
                    yield break;
                }

                signal = _changed.Task;
            }

            if (item is not null)
            {
                yield return item;
                continue;
            }

            await signal.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The last <paramref name="count"/> _events, one a line, for failure messages.</summary>
    public string Tail(int count)
    {
        lock (_gate)
        {
            return string.Join('\n', _events.Skip(Math.Max(0, _events.Count - count)).Select(e => Shorten(e.ToString())));
        }
    }

    internal void Append(string kind, JsonObject body)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            if (_ended is not null)
            {
                return;
            }

            if (_events.Count >= Capacity)
            {
                _ended = new JsReferenceException($"The JS reference reported more than {Capacity} events; the log is full.");
            }
            else
            {
                _events.Add(new JsEvent(_events.Count, kind, body));
            }

            wake = _changed;
            _changed = NewSignal();
        }

        wake.TrySetResult();
    }

    internal void End(JsReferenceException reason)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _ended ??= reason;
            wake = _changed;
            _changed = NewSignal();
        }

        wake.TrySetResult();
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
