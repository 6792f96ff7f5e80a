using System.Net;
using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>RFC 8445 §6.1.2 and §6.1.4: ordering, freezing by foundation, triggered checks, pruning.</summary>
public sealed class IceChecklistTests
{
    private static IceLocalCandidate Local(int socketId, string address, int localPreference = 65535) =>
        new(IceCandidate.For(IPEndPoint.Parse(address), IceCandidateType.Host,
            IcePriority.ForCandidate(IceCandidateType.Host, localPreference, 1), $"L{socketId}"), socketId, IPEndPoint.Parse(address), localPreference);

    private static IceRemoteCandidate Remote(string address, uint priority, string foundation) =>
        new(IceCandidate.For(IPEndPoint.Parse(address), IceCandidateType.Host, priority, foundation), IPEndPoint.Parse(address));

    [Fact]
    public void Pairs_must_be_ordered_by_priority_and_frozen_per_foundation()
    {
        var checklist = new IceChecklist(maxPairs: 100);
        var local = Local(0, "10.0.0.1:1000");
        var low = checklist.Add(local, Remote("10.0.0.2:1", 100, "R"), IceRole.Controlling)!;
        var high = checklist.Add(local, Remote("10.0.0.2:2", 900, "R"), IceRole.Controlling)!;
        var other = checklist.Add(local, Remote("10.0.0.2:3", 500, "S"), IceRole.Controlling)!;

        Assert.Equal([high, other, low], checklist.Pairs);
        // The first pair of foundation L0:R waits; its sibling added later is frozen behind it.
        Assert.Equal(IceCandidatePairState.Waiting, low.State);
        Assert.Equal(IceCandidatePairState.Frozen, high.State);
        Assert.Equal(IceCandidatePairState.Waiting, other.State);
    }

    [Fact]
    public void Next_check_must_prefer_triggered_then_best_waiting_then_unfreeze()
    {
        var checklist = new IceChecklist(maxPairs: 100);
        var local = Local(0, "10.0.0.1:1000");
        var a = checklist.Add(local, Remote("10.0.0.2:1", 100, "R"), IceRole.Controlling)!;
        var b = checklist.Add(local, Remote("10.0.0.2:2", 900, "R"), IceRole.Controlling)!;
        var c = checklist.Add(local, Remote("10.0.0.2:3", 500, "S"), IceRole.Controlling)!;

        checklist.Trigger(a);
        Assert.Same(a, checklist.NextCheck(ordinaryChecks: true));
        a.State = IceCandidatePairState.InProgress;
        Assert.Same(c, checklist.NextCheck(ordinaryChecks: true));
        c.State = IceCandidatePairState.InProgress;
        // b is frozen while a (same foundation) is in progress: nothing to do.
        Assert.Null(checklist.NextCheck(ordinaryChecks: true));
        a.State = IceCandidatePairState.Failed;
        Assert.Same(b, checklist.NextCheck(ordinaryChecks: true));
    }

    [Fact]
    public void Success_must_unfreeze_the_foundation_and_only_triggered_checks_run_when_ordinary_ones_are_off()
    {
        var checklist = new IceChecklist(maxPairs: 100);
        var local = Local(0, "10.0.0.1:1000");
        var a = checklist.Add(local, Remote("10.0.0.2:1", 100, "R"), IceRole.Controlling)!;
        var b = checklist.Add(local, Remote("10.0.0.2:2", 900, "R"), IceRole.Controlling)!;
        a.State = IceCandidatePairState.Succeeded;
        checklist.Unfreeze(a.Foundation);
        Assert.Equal(IceCandidatePairState.Waiting, b.State);

        Assert.Null(checklist.NextCheck(ordinaryChecks: false));
        checklist.Trigger(b);
        checklist.Trigger(b); // queued once
        Assert.Same(b, checklist.NextCheck(ordinaryChecks: false));
        Assert.Null(checklist.NextCheck(ordinaryChecks: false));
        checklist.Trigger(a); // a succeeded pair is never re-checked by a trigger
        Assert.Equal(IceCandidatePairState.Succeeded, a.State);
        Assert.False(checklist.HasWork(ordinaryChecks: false));
    }

    [Fact]
    public void Role_change_must_recompute_priorities_and_reorder()
    {
        var checklist = new IceChecklist(maxPairs: 100);
        var local = Local(0, "10.0.0.1:1000", localPreference: 100);
        var pair = checklist.Add(local, Remote("10.0.0.2:1", 5000, "R"), IceRole.Controlling)!;
        var asControlling = pair.Priority;
        checklist.Reprioritize(IceRole.Controlled);
        Assert.Equal(IcePriority.ForPair(5000, pair.Local.Priority), pair.Priority);
        Assert.NotEqual(asControlling, pair.Priority);
    }

    [Fact]
    public void The_pair_limit_must_prune_the_lowest_unchecked_pair_or_refuse()
    {
        var checklist = new IceChecklist(maxPairs: 2);
        var local = Local(0, "10.0.0.1:1000");
        var low = checklist.Add(local, Remote("10.0.0.2:1", 100, "R1"), IceRole.Controlling)!;
        checklist.Add(local, Remote("10.0.0.2:2", 200, "R2"), IceRole.Controlling);
        var high = checklist.Add(local, Remote("10.0.0.2:3", 300, "R3"), IceRole.Controlling);

        Assert.NotNull(high);
        Assert.Equal(2, checklist.Pairs.Count);
        Assert.DoesNotContain(low, checklist.Pairs);
        Assert.Null(checklist.Add(local, Remote("10.0.0.2:4", 50, "R4"), IceRole.Controlling));
    }

    [Fact]
    public void All_failed_must_need_every_pair_failed_and_nothing_queued()
    {
        var checklist = new IceChecklist(maxPairs: 10);
        Assert.False(checklist.AllFailed);
        var pair = checklist.Add(Local(0, "10.0.0.1:1000"), Remote("10.0.0.2:1", 100, "R"), IceRole.Controlling)!;
        pair.State = IceCandidatePairState.Failed;
        Assert.True(checklist.AllFailed);
        checklist.Trigger(pair);
        Assert.False(checklist.AllFailed);
    }
}
