using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace PxpActors.Actors;

/// <summary>
/// The mailbox of session actors (a PeerActor and its stream): unbounded, but costing almost nothing
/// while idle. The default mailbox's queue preallocates 32 slots, about a kilobyte per actor, and a node
/// holds two such actors per peer, most of them idle. Named by <c>pxp.session-dispatcher</c>.
/// </summary>
public sealed class SessionMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<SessionMailbox.MessageQueue>
{
    /// <summary>A queue for one session actor.</summary>
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new MessageQueue();

    /// <summary>Many writers, one reader: a lock around a queue that starts empty and shrinks back after bursts.</summary>
    public sealed class MessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
    {
        private const int KeptCapacity = 64;
        private readonly Queue<Envelope> _queue = new();
        private volatile int _count;
        private int _highWater;

        /// <summary>True while a message waits.</summary>
        public bool HasMessages => _count > 0;

        /// <summary>Messages waiting.</summary>
        public int Count => _count;

        /// <summary>Adds a message at the end.</summary>
        public void Enqueue(IActorRef receiver, Envelope envelope)
        {
            lock (_queue)
            {
                _queue.Enqueue(envelope);
                _count = _queue.Count;
                _highWater = Math.Max(_highWater, _count);
            }
        }

        /// <summary>Takes the first message, if any.</summary>
        public bool TryDequeue(out Envelope envelope)
        {
            lock (_queue)
            {
                if (!_queue.TryDequeue(out envelope)) return false;
                _count = _queue.Count;
                if (_count == 0 && _highWater > KeptCapacity)
                {
                    _queue.TrimExcess();
                    _highWater = 0;
                }
                return true;
            }
        }

        /// <summary>Hands what is left to the dead letters once the actor stopped.</summary>
        public void CleanUp(IActorRef owner, IMessageQueue deadletters)
        {
            while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
        }
    }
}
