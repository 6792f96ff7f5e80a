using System.Collections.Concurrent;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Tests.Support;

/// <summary>
/// Our WebRTC stack behind the exchange's factory seam, with every peer connection it made kept for a test to check (each
/// must end closed), and optionally muted: a muted connection raises no local signals, so its peer never hears from it.
/// </summary>
public sealed class ObservedWebRtcFactory(bool muted = false) : IWebRtcPeerConnectionFactory
{
    private readonly ConcurrentQueue<IWebRtcPeerConnection> _made = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<IWebRtcPeerConnection> Made => [.. _made];

    /// <summary>Completes once the first connection was made.</summary>
    public Task FirstMade => _first.Task;

    /// <summary>Our stack's connections, which gain from being started ahead: a node answering offers keeps a standby.</summary>
    public bool PreparesAhead => true;

    public IWebRtcPeerConnection Create(PeerConnectionOptions options)
    {
        var connection = PeerConnectionFactory.Instance.Create(options);
        IWebRtcPeerConnection made = muted ? new Muted(connection) : connection;
        _made.Enqueue(made);
        _first.TrySetResult();
        return made;
    }

    /// <summary>Waits until every connection made so far has released everything.</summary>
    public Task AllClosedAsync(TimeSpan timeout) => Task.WhenAll(Made.Select(c => c.Closed)).WaitAsync(timeout);

    /// <summary>
    /// Waits until every connection made so far but the last has released everything: the last is the standby a node that
    /// answered an offer keeps started for the next one (released when its exchange closes).
    /// </summary>
    public Task AllClosedButStandbyAsync(TimeSpan timeout) => Task.WhenAll(Made.SkipLast(1).Select(c => c.Closed)).WaitAsync(timeout);

    /// <summary>Made so far and not closed.</summary>
    public int Open => Made.Count(c => !c.Closed.IsCompleted);

    private sealed class Muted(IWebRtcPeerConnection inner) : IWebRtcPeerConnection
    {
        public bool Initiator => inner.Initiator;
        public PeerConnectionState State => inner.State;
        public Task Connected => inner.Connected;
        public Task Closed => inner.Closed;

        // Subscribers never hear a signal: the other side waits for an answer that never comes.
        public event Action<Signal>? LocalSignal
        {
            add { }
            remove { }
        }

        public event Action<PeerConnectionState>? StateChanged
        {
            add => inner.StateChanged += value;
            remove => inner.StateChanged -= value;
        }

        public event Action<IWebRtcDataChannel>? DataChannelOpened
        {
            add => inner.DataChannelOpened += value;
            remove => inner.DataChannelOpened -= value;
        }

        public event Action<IWebRtcDataChannel>? DataChannelClosed
        {
            add => inner.DataChannelClosed += value;
            remove => inner.DataChannelClosed -= value;
        }

        public Task<SessionDescriptionSignal> CreateOfferAsync(CancellationToken cancellationToken = default) => inner.CreateOfferAsync(cancellationToken);
        public Task<SessionDescriptionSignal> CreateAnswerAsync(CancellationToken cancellationToken = default) => inner.CreateAnswerAsync(cancellationToken);
        public Task SetRemoteDescriptionAsync(SessionDescriptionSignal description, CancellationToken cancellationToken = default) =>
            inner.SetRemoteDescriptionAsync(description, cancellationToken);
        public Task AddRemoteCandidateAsync(IceCandidateInit candidate, CancellationToken cancellationToken = default) =>
            inner.AddRemoteCandidateAsync(candidate, cancellationToken);
        public Task SignalAsync(Signal signal, CancellationToken cancellationToken = default) => inner.SignalAsync(signal, cancellationToken);
        public Task<IWebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.CreateDataChannelAsync(label, options, cancellationToken);
        public Task<IWebRtcDataChannel> AcceptDataChannelAsync(CancellationToken cancellationToken = default) => inner.AcceptDataChannelAsync(cancellationToken);
        public Task CloseAsync() => inner.CloseAsync();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
