using Xunit;
using Microsoft.Extensions.Time.Testing;
using PxpActors.WebRtc.Sctp;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// Two associations joined by a simulated network on a fake clock: seeded loss, duplication and delay
/// jitter (which reorders), per-direction filters. Fully deterministic; simulated time only moves when
/// nothing else can happen, straight to the next packet arrival or timer.
/// </summary>
internal sealed class SctpTestNetwork
{
    private readonly Random _random;
    private readonly PriorityQueue<(SctpAssociation To, byte[] Packet), (DateTimeOffset Due, long Order)> _inTransit = new();
    private long _order;

    public SctpTestNetwork(int seed = 1, SctpAssociationOptions? optionsA = null, SctpAssociationOptions? optionsB = null)
    {
        _random = new Random(seed);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        A = new SctpAssociation(optionsA, Time);
        B = new SctpAssociation(optionsB, Time);
    }

    public FakeTimeProvider Time { get; }
    public SctpAssociation A { get; }
    public SctpAssociation B { get; }
    public List<SctpEvent> EventsA { get; } = [];
    public List<SctpEvent> EventsB { get; } = [];

    /// <summary>When false, B's events (and so its received messages) stay inside B, filling its window.</summary>
    public bool DrainB { get; set; } = true;

    public double LossRate { get; set; }
    public double DuplicateRate { get; set; }
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Extra random delay per packet; packets overtake each other when it exceeds their spacing.</summary>
    public TimeSpan Jitter { get; set; }

    /// <summary>Return false to drop a packet from A to B (after loss simulation).</summary>
    public Func<byte[], bool>? FilterAToB { get; set; }
    public Func<byte[], bool>? FilterBToA { get; set; }

    public List<byte[]> SentAToB { get; } = [];
    public List<byte[]> SentBToA { get; } = [];
    public bool RecordPackets { get; set; }

    public IEnumerable<SctpEvent.MessageReceived> MessagesAtA => EventsA.OfType<SctpEvent.MessageReceived>();
    public IEnumerable<SctpEvent.MessageReceived> MessagesAtB => EventsB.OfType<SctpEvent.MessageReceived>();

    public void Connect(bool both = true)
    {
        A.Connect();
        if (both)
            B.Connect();
        RunUntil(() => A.State == SctpAssociationState.Established && B.State == SctpAssociationState.Established, TimeSpan.FromMinutes(2));
    }

    /// <summary>Moves packets and events without advancing time; returns how much happened.</summary>
    public int Pump()
    {
        var work = 0;
        while (true)
        {
            var round = Transmit(A, B, FilterAToB, SentAToB) + Transmit(B, A, FilterBToA, SentBToA);
            var now = Time.GetUtcNow();
            while (_inTransit.TryPeek(out var item, out var key) && key.Due <= now)
            {
                _inTransit.Dequeue();
                item.To.HandlePacket(item.Packet);
                round++;
            }
            round += DrainEvents(A, EventsA) + (DrainB ? DrainEvents(B, EventsB) : 0);
            if (round == 0)
                return work;
            work += round;
        }
    }

    /// <summary>Runs until <paramref name="condition"/> holds, failing the test if simulated time runs out first.</summary>
    public void RunUntil(Func<bool> condition, TimeSpan maxSimulated, Action? eachStep = null)
    {
        var deadline = Time.GetUtcNow() + maxSimulated;
        while (true)
        {
            eachStep?.Invoke();
            Pump();
            if (condition())
                return;
            var next = NextEventTime();
            Assert.True(next is not null, "Simulation stalled: no packet in transit and no timer running.");
            Assert.True(next <= deadline, $"Condition not met within {maxSimulated} of simulated time.");
            if (next > Time.GetUtcNow())
                Time.SetUtcNow(next.Value);
            A.HandleTimeout();
            B.HandleTimeout();
        }
    }

    /// <summary>Lets simulated time pass (timers fire, packets flow).</summary>
    public void RunFor(TimeSpan span)
    {
        var end = Time.GetUtcNow() + span;
        while (true)
        {
            Pump();
            var next = NextEventTime();
            if (next is null || next > end)
            {
                Time.SetUtcNow(end);
                A.HandleTimeout();
                B.HandleTimeout();
                Pump();
                return;
            }
            if (next > Time.GetUtcNow())
                Time.SetUtcNow(next.Value);
            A.HandleTimeout();
            B.HandleTimeout();
        }
    }

    public void DrainEventsOfB() => DrainEvents(B, EventsB);

    private DateTimeOffset? NextEventTime()
    {
        DateTimeOffset? next = _inTransit.TryPeek(out _, out var key) ? key.Due : null;
        foreach (var due in new[] { A.NextTimeout, B.NextTimeout })
            if (due is { } d && (next is null || d < next))
                next = d;
        return next;
    }

    private int Transmit(SctpAssociation from, SctpAssociation to, Func<byte[], bool>? filter, List<byte[]> record)
    {
        var count = 0;
        while (from.PollPacket() is { } packet)
        {
            count++;
            if (RecordPackets)
                record.Add(packet);
            if (_random.NextDouble() < LossRate || filter is not null && !filter(packet))
                continue;
            Enqueue(to, packet);
            if (_random.NextDouble() < DuplicateRate)
                Enqueue(to, packet);
        }
        return count;
    }

    private void Enqueue(SctpAssociation to, byte[] packet)
    {
        var delay = Delay + TimeSpan.FromTicks((long)(_random.NextDouble() * Jitter.Ticks));
        _inTransit.Enqueue((to, packet), (Time.GetUtcNow() + delay, _order++));
    }

    private static int DrainEvents(SctpAssociation association, List<SctpEvent> sink)
    {
        var count = 0;
        while (association.TryPollEvent(out var e))
        {
            sink.Add(e);
            count++;
        }
        return count;
    }
}
