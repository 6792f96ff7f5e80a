using PxpActors.Multiplexing;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Resources;

namespace PxpActors.Tests.Multiplexing;

/// <summary>The multiplexer's table of substreams, without a stage: opens, ends, resets, reaping, limits and numbers.</summary>
public sealed class ChannelTableSpec
{
    private sealed class Named(string name, LocalChannel local) : NamedSubstream(name, local);

    private readonly NodeResources _node = new(ResourceLimits.Default with { MaxSubstreams = 100 });

    private ChannelTable<Named> Table(int maxSubstreams = 8) => new(maxSubstreams, _node);

    private static Named Register(ChannelTable<Named> table, string name, out RemoteChannel? held)
    {
        Assert.Null(table.WhyNotOpen(name));
        var named = new Named(name, table.NextLocalChannel());
        held = table.Register(named);
        return named;
    }

    [Fact]
    public void ChannelTable_must_hold_a_peer_open_until_the_name_is_registered()
    {
        var table = Table();
        var remote = table.PeerOpened(3, "data:net");
        Assert.Null(remote.Owner);
        Assert.Equal(1, _node.Substreams);

        Register(table, "data:net", out var held);

        Assert.Same(remote, held);
        Assert.Equal(1, _node.Substreams); // the held open became the name's: still one substream
    }

    [Fact]
    public void ChannelTable_must_give_a_peer_open_to_the_name_already_registered()
    {
        var table = Table();
        var named = Register(table, "pxp", out var held);
        Assert.Null(held);

        var remote = table.PeerOpened(0, "pxp");

        Assert.Same(named, remote.Owner);
        Assert.Same(remote, named.Remote);
        Assert.Equal(1, _node.Substreams);
    }

    [Fact]
    public void ChannelTable_must_refuse_a_peer_that_reopens_a_number_or_a_name()
    {
        var table = Table();
        table.PeerOpened(1, "relay:a");

        Assert.Throws<PxpProtocolException>(() => table.PeerOpened(1, "relay:b"));
        Assert.Throws<PxpProtocolException>(() => table.PeerOpened(2, "relay:a"));
        Register(table, "pxp", out _);
        table.PeerOpened(4, "pxp");
        Assert.Throws<PxpProtocolException>(() => table.PeerOpened(5, "pxp"));
    }

    [Fact]
    public void ChannelTable_must_count_ours_and_the_peers_against_one_cap()
    {
        var table = Table(maxSubstreams: 2);
        Register(table, "ours", out _);
        table.PeerOpened(0, "theirs");

        Assert.Contains("2 substreams are open", table.WhyNotOpen("another"));
        Assert.Throws<PxpProtocolException>(() => table.PeerOpened(1, "more"));
        Assert.Contains("already open", table.WhyNotOpen("ours"));
    }

    [Fact]
    public void ChannelTable_must_refuse_past_the_nodes_limit()
    {
        var node = new NodeResources(ResourceLimits.Default with { MaxSubstreams = 1 });
        var table = new ChannelTable<Named>(8, node);
        table.PeerOpened(0, "first");

        Assert.Contains("this node has its limit", new ChannelTable<Named>(8, node).WhyNotOpen("second"));
        Assert.Throws<PxpProtocolException>(() => table.PeerOpened(1, "second"));
    }

    [Fact]
    public void ChannelTable_must_reuse_our_number_only_once_both_sides_finished_it()
    {
        var table = Table();
        var first = Register(table, "first", out _);
        first.Local.Announced = true;
        first.Local.EndQueued = true;
        table.ReleaseIfDone(first);
        Assert.Equal(1u, table.NextLocalChannel().Number); // the peer has not finished 0 yet

        Assert.Same(first, table.OurChannel(0));
        first.Local.PeerFinished = true;
        table.ReleaseIfDone(first);

        Assert.Equal(0u, table.NextLocalChannel().Number);
    }

    [Fact]
    public void ChannelTable_must_forget_a_name_only_once_it_is_over_both_ways()
    {
        var table = Table();
        var named = Register(table, "data:net", out _);
        named.WriterDone = true;
        named.Local.EndQueued = true;
        Assert.False(table.ForgetIfFinished(named));

        named.ReaderDone = true;

        Assert.True(table.ForgetIfFinished(named));
        Assert.False(table.IsCurrent(named));
        Assert.Null(table.WhyNotOpen("data:net"));
        Assert.Equal(0, _node.Substreams);
    }

    [Fact]
    public void ChannelTable_must_reap_a_held_open_nobody_claimed_but_not_a_claimed_one()
    {
        var table = Table();
        var held = table.PeerOpened(0, "orphan");
        var claimed = table.PeerOpened(1, "claimed");
        Register(table, "claimed", out _);

        Assert.True(table.Reap(held));
        Assert.False(table.Reap(claimed));
        Assert.False(table.Reap(held)); // once

        Assert.True(held.Reaped);
        Assert.Same(held, table.PeerChannel(0, FrameType.DataFromCreator)); // still open on the wire: its frames are dropped
        Assert.Null(Register(table, "orphan", out var late).Remote);
        Assert.Null(late);
    }

    [Fact]
    public void ChannelTable_must_drop_a_reset_channel_held_or_claimed_and_ignore_a_late_reset()
    {
        var table = Table();
        table.PeerOpened(0, "held");

        var reset = table.PeerReset(0);

        Assert.True(reset!.Ended);
        Assert.Null(table.PeerReset(0));
        Assert.Throws<PxpProtocolException>(() => table.PeerChannel(0, FrameType.DataFromCreator));
        Assert.Null(Register(table, "held", out var held).Remote);
        Assert.Null(held);
    }

    [Fact]
    public void ChannelTable_must_end_a_peer_channel_once_and_free_its_number()
    {
        var table = Table();
        var remote = table.PeerOpened(0, "relay:x");

        Assert.True(table.PeerEnded(remote));
        Assert.False(table.PeerEnded(remote));
        Assert.DoesNotContain(remote, table.OpenRemotes);
        table.PeerOpened(0, "relay:y"); // the number may be opened again
    }

    [Fact]
    public void ChannelTable_must_give_its_substreams_back_to_the_node_when_closed()
    {
        var table = Table();
        Register(table, "pxp", out _);
        table.PeerOpened(0, "held");
        Assert.Equal(2, _node.Substreams);

        table.Close();

        Assert.Equal(0, _node.Substreams);
    }
}
