using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Simulation.Links;

/// <summary>
/// An in-memory link between two simulated nodes: a byte pipe in each direction, both shaped by <see cref="Conditions"/>
/// (changeable while it runs) and both cut at once by <see cref="Cut"/>. Each end is a flow for
/// <c>PeerExchange.ConnectAsync</c>/<c>AcceptAsync</c>; the link ends when both pipes have ended.
/// </summary>
public sealed class SimulatedLink
{
    private readonly SharedKillSwitch _killSwitch;
    private long _bytesFromA;
    private long _bytesFromB;
    private volatile LinkConditions _conditions;

    /// <summary>Runs both pipes on <paramref name="materializer"/>; the ends are taken with <see cref="EndAtA"/> and <see cref="EndAtB"/>.</summary>
    /// <param name="a">The dialing node's name.</param>
    /// <param name="b">The accepting node's name.</param>
    /// <param name="conditions">Latency, jitter and bandwidth of both directions.</param>
    /// <param name="materializer">Where the pipes run (the simulation's system).</param>
    /// <param name="clock">The clock of the delays (a virtual one in virtual time).</param>
    public SimulatedLink(string a, string b, LinkConditions conditions, IMaterializer materializer, TimeProvider? clock = null)
    {
        A = a;
        B = b;
        _conditions = conditions;
        _killSwitch = KillSwitches.Shared($"link-{a}-{b}");
        var (toB, fromA, aDone) = Pipe(materializer, clock, bytes => Interlocked.Add(ref _bytesFromA, bytes));
        var (toA, fromB, bDone) = Pipe(materializer, clock, bytes => Interlocked.Add(ref _bytesFromB, bytes));
        EndAtA = Flow.FromSinkAndSource(toB, fromB);
        EndAtB = Flow.FromSinkAndSource(toA, fromA);
        Completion = Task.WhenAll(aDone, bDone).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>The name of the node that dialed.</summary>
    public string A { get; }

    /// <summary>The name of the node that accepted.</summary>
    public string B { get; }

    /// <summary>What node A runs its session over (materialize once).</summary>
    public Flow<ByteString, ByteString, NotUsed> EndAtA { get; }

    /// <summary>What node B runs its session over (materialize once).</summary>
    public Flow<ByteString, ByteString, NotUsed> EndAtB { get; }

    /// <summary>The conditions of both directions; a change applies to the next chunk.</summary>
    public LinkConditions Conditions
    {
        get => _conditions;
        set => _conditions = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Bytes node A has written into the link so far.</summary>
    public long BytesFromA => Interlocked.Read(ref _bytesFromA);

    /// <summary>Bytes node B has written into the link so far.</summary>
    public long BytesFromB => Interlocked.Read(ref _bytesFromB);

    /// <summary>Completes when both directions have ended (closed by the sessions, or cut).</summary>
    public Task Completion { get; }

    /// <summary>True until both directions have ended.</summary>
    public bool IsOpen => !Completion.IsCompleted;

    /// <summary>Breaks the link: both sessions see their transport fail with a <see cref="LinkCutException"/>.</summary>
    public void Cut(string reason = "the simulated link was cut") => _killSwitch.Abort(new LinkCutException(reason));

    /// <summary>One direction: what the writer's sink feeds, conditioned, to the reader's source.</summary>
    private (Sink<ByteString, NotUsed> In, Source<ByteString, NotUsed> Out, Task Done) Pipe(IMaterializer materializer,
        TimeProvider? clock, Action<int> count)
    {
        var ((subscriber, done), publisher) = Source.AsSubscriber<ByteString>()
            .Select(chunk =>
            {
                count(chunk.Count);
                return chunk;
            })
            .Via(_killSwitch.Flow<ByteString>())
            .Via(LinkConditionsFlow.Create(() => _conditions, clock))
            .WatchTermination(Keep.Both)
            .ToMaterialized(Sink.AsPublisher<ByteString>(fanout: false), Keep.Both)
            .Run(materializer);
        return (Sink.FromSubscriber(subscriber), Source.FromPublisher(publisher), done);
    }
}
