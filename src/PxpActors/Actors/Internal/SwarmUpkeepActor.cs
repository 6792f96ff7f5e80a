using Akka.Actor;
using Akka.Event;

namespace PxpActors.Actors.Internal;

/// <summary>
/// Keeps the exchange at pxp.target-peers: while it has fewer peers (relayed sessions do not count), and at least one to
/// ask, it calls getNewPeer, one call at a time, so many peers leaving at once cause no storm. After a failure it waits
/// with exponential backoff and jitter (pxp.upkeep). A connection it makes is the application's, raised as any other.
/// </summary>
internal sealed class SwarmUpkeepActor : UntypedActor, IWithTimers
{
    private const string BackoffTimer = "backoff";

    private readonly UpkeepSettings _settings;
    private readonly TimeSpan _callTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _peers;
    private int _failures;
    private bool _calling;

    public SwarmUpkeepActor(UpkeepSettings settings, TimeSpan callTimeout)
    {
        _settings = settings;
        _callTimeout = callTimeout;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(UpkeepSettings settings, TimeSpan callTimeout) =>
        Akka.Actor.Props.Create(() => new SwarmUpkeepActor(settings, callTimeout));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PeerCountChanged changed:
                _peers = changed.Peers;
                CallIfBelowTarget();
                break;
            case PxpExchange.Connected connected:
                _calling = false;
                _failures = 0;
                Context.Parent.Tell(new PublishConnection(connected.Connection));
                CallIfBelowTarget();
                break;
            case Status.Failure failure:
                _calling = false;
                _failures++;
                var wait = _settings.Backoff(_failures, Random.Shared.NextDouble());
                _log.Info("PXP upkeep: getNewPeer failed ({0} peers of {1}); next try in {2:0.#} s: {3}",
                    _peers, _settings.TargetPeers, wait.TotalSeconds, failure.Cause.Message);
                Timers.StartSingleTimer(BackoffTimer, BackoffOver.Instance, wait);
                break;
            case BackoffOver:
                CallIfBelowTarget();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void CallIfBelowTarget()
    {
        if (_calling || Timers.IsTimerActive(BackoffTimer) || _peers == 0 || _peers >= _settings.TargetPeers) return;
        _calling = true;
        Context.Parent.Ask<PxpExchange.Connected>(new PxpExchange.GetNewPeer(), _callTimeout).PipeTo(Self);
    }

    private sealed record BackoffOver
    {
        public static BackoffOver Instance { get; } = new();
    }
}

/// <summary>The exchange's peer count changed (ready sessions that are not relayed): what upkeep compares to its target.</summary>
internal sealed record PeerCountChanged(int Peers);
