using System.Collections.Concurrent;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>Our WebRTC stack behind the exchange's factory seam, keeping every peer connection it made for a test to check.</summary>
internal sealed class RecordingWebRtcFactory : IWebRtcPeerConnectionFactory
{
    private readonly ConcurrentQueue<IWebRtcPeerConnection> _made = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IWebRtcPeerConnection> Made => [.. _made];

    /// <summary>Completes once the first peer connection was made (an upgrade has begun here).</summary>
    public Task FirstMade => _first.Task;

    /// <summary>Our stack's connections, which gain from being started ahead: a node answering offers keeps a standby.</summary>
    public bool PreparesAhead => true;

    public IWebRtcPeerConnection Create(PeerConnectionOptions options)
    {
        var connection = PeerConnectionFactory.Instance.Create(options);
        _made.Enqueue(connection);
        _first.TrySetResult();
        return connection;
    }

    /// <summary>Waits until every peer connection made so far has released its sockets and timers.</summary>
    public Task AllClosedAsync(TimeSpan timeout) => Task.WhenAll(Made.Select(c => c.Closed)).WaitAsync(timeout);

    /// <summary>
    /// As <see cref="AllClosedAsync"/> for all but the last made: the standby a node that answered an offer keeps started for
    /// the next one (released when its exchange closes).
    /// </summary>
    public Task AllClosedButStandbyAsync(TimeSpan timeout) => Task.WhenAll(Made.SkipLast(1).Select(c => c.Closed)).WaitAsync(timeout);
}
