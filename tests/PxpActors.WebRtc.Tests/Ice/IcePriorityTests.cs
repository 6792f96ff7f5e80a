using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

public sealed class IcePriorityTests
{
    [Theory]
    [InlineData(IceCandidateType.Host, 65535, 1, 2130706431u)]            // the RFC's highest host priority
    [InlineData(IceCandidateType.Host, 32542, 1, 2122260223u)]            // libwebrtc host
    [InlineData(IceCandidateType.Host, 30, 1, 2113937151u)]               // Chromium mDNS host
    [InlineData(IceCandidateType.ServerReflexive, 30, 1, 1677729535u)]    // libwebrtc srflx
    [InlineData(IceCandidateType.PeerReflexive, 65535, 1, 1862270975u)]
    [InlineData(IceCandidateType.Relay, 0, 256, 0u)]
    public void Candidate_priority_must_follow_RFC_8445(IceCandidateType type, int localPreference, int component, uint expected) =>
        Assert.Equal(expected, IcePriority.ForCandidate(type, localPreference, component));

    [Fact]
    public void Type_preferences_must_order_host_prflx_srflx_relay()
    {
        uint P(IceCandidateType t) => IcePriority.ForCandidate(t, 65535, 1);
        Assert.True(P(IceCandidateType.Host) > P(IceCandidateType.PeerReflexive));
        Assert.True(P(IceCandidateType.PeerReflexive) > P(IceCandidateType.ServerReflexive));
        Assert.True(P(IceCandidateType.ServerReflexive) > P(IceCandidateType.Relay));
    }

    [Theory]
    [InlineData(2u, 1u, (1ul << 32) + 4 + 1)]
    [InlineData(1u, 2u, (1ul << 32) + 4)]
    [InlineData(5u, 5u, (5ul << 32) + 10)]
    [InlineData(0x80000000u, 0x80000000u, (0x80000000ul << 32) + 0x100000000ul)]
    public void Pair_priority_must_follow_RFC_8445(uint controlling, uint controlled, ulong expected) =>
        Assert.Equal(expected, IcePriority.ForPair(controlling, controlled));

    [Fact]
    public void Pair_priority_must_be_the_same_seen_from_both_sides_and_break_ties_by_controlling()
    {
        // Both agents compute the same number for the same pair once roles are agreed.
        var a = IcePriority.ForPair(controlling: 100, controlled: 200);
        var b = IcePriority.ForPair(controlling: 200, controlled: 100);
        Assert.NotEqual(a, b);
        Assert.Equal(a + 1, b);
    }

    [Fact]
    public void Invalid_inputs_must_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IcePriority.ForCandidate(IceCandidateType.Host, 65536, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IcePriority.ForCandidate(IceCandidateType.Host, 1, 0));
    }
}
