using System.Text;
using Akka.IO;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using Xunit.Abstractions;
using static PxpActors.Tests.Multiplexing.PeerFrames;
using PxpActors.Multiplexing;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>Lazy opens, channel numbers, opens held until registered, and the cap on substreams.</summary>
public sealed class MultiplexerOpeningSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Fact]
    public Task Multiplexer_must_announce_a_channel_only_just_before_its_first_data() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");

        session.Wire.Request(1);
        session.Wire.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        pxp.Writer.SendNext(ByteString.FromString("[\"hello\"]\n"));
        Assert.Equal(new WireFrame(0, FrameType.Open, "pxp"), WireFrame.FromElement(session.Wire.ExpectNext()));
        session.ExpectFrame(0, FrameType.DataFromCreator, "[\"hello\"]\n");

        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_announce_a_channel_just_before_its_end_when_it_carried_no_data() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var quiet = await session.OpenAsync("quiet");

        quiet.Writer.SendComplete();

        session.ExpectFrame(0, FrameType.Open, "quiet");
        session.ExpectFrame(0, FrameType.EndFromCreator);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_write_each_frame_as_one_transport_element() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await session.OpenAsync("data:test");
        var payload = new string('x', 300); // a two-byte length varint

        data.Writer.SendNext(ByteString.FromString(payload));

        var open = session.Wire.RequestNext();
        Assert.Equal(new byte[] { 0x00, 0x09 }.Concat(Encoding.UTF8.GetBytes("data:test")), open.ToArray());
        var frame = session.Wire.RequestNext();
        Assert.Equal(new byte[] { 0x02, 0xAC, 0x02 }, frame.ToArray()[..3]);
        Assert.Equal(3 + 300, frame.Count);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_allocate_the_lowest_free_channel_and_reuse_it_only_once_the_peer_finished_it() =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer);
            var a = await session.OpenAsync("a");
            var b = await session.OpenAsync("b");
            session.WriteAndExpect(a, 0, "1", opens: true);
            session.WriteAndExpect(b, 1, "2", opens: true);

            a.Writer.SendComplete();
            session.ExpectFrame(0, FrameType.EndFromCreator);
            var c = await session.OpenAsync("c");
            session.WriteAndExpect(c, 2, "3", opens: true); // 0 is ended by us, not yet by the peer

            session.Send(EndOurs(0)); // the peer answers our end: channel 0 is finished
            var d = await session.OpenAsync("d");
            session.WriteAndExpect(d, 0, "4", opens: true);

            b.Writer.SendComplete();
            session.ExpectFrame(1, FrameType.EndFromCreator);
            session.Send(ResetOurs(1)); // a destroy finishes it too
            var e = await session.OpenAsync("e");
            session.WriteAndExpect(e, 1, "5", opens: true);

            var f = await session.OpenAsync("f");
            session.WriteAndExpect(f, 3, "6", opens: true);
            await session.EndFromPeerAsync();
        });

    [Fact]
    public Task Multiplexer_must_hold_an_unregistered_open_with_its_data_until_the_name_is_registered() =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer);
            session.Send(Open(0, "data:test"), Data(0, "early "));
            session.Send(Data(0, "bird"));

            var data = await session.OpenAsync("data:test");

            data.Reader.Request(2);
            data.Reader.ExpectNext(ByteString.FromString("early "), ByteString.FromString("bird"));
            session.Send(Data(0, "!"));
            Assert.Equal("!", data.Reader.RequestNext().ToString());
            await session.EndFromPeerAsync();
            data.Reader.ExpectComplete();
        });

    [Fact]
    public Task Multiplexer_must_deliver_a_held_channel_that_the_peer_already_ended_then_complete_it() =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer);
            session.Send(Open(4, "relay:7"), Data(4, "all of it"), End(4));
            session.ExpectFrame(4, FrameType.EndFromReceiver); // answered at once, as multiplex does

            var relay = await session.OpenAsync("relay:7");

            Assert.Equal("all of it", relay.Reader.RequestNext().ToString());
            relay.Reader.ExpectComplete();
            await session.EndFromPeerAsync();
        });

    [Fact]
    public Task Multiplexer_must_name_a_channel_opened_with_an_empty_name_by_its_number() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        session.Send(new Frame(12, FrameType.Open, ReadOnlyMemory<byte>.Empty), Data(12, "x"));

        var twelve = await session.OpenAsync("12");

        Assert.Equal("x", twelve.Reader.RequestNext().ToString());
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_refuse_to_open_a_name_twice() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        await session.OpenAsync("pxp");

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.Mux.OpenAsync("pxp"));
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_fail_the_session_when_the_peer_opens_a_name_twice() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        session.Send(Open(0, "pxp"), Open(1, "pxp"));

        var error = Assert.IsType<PxpProtocolException>(session.Wire.ExpectSubscriptionAndError());
        Assert.Equal("Peer opened a second channel named \"pxp\"", error.Message);
        await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion);
    });

    [Fact]
    public Task Multiplexer_must_fail_the_session_when_the_peer_reopens_an_open_channel_number() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        session.Send(Open(3, "a"), Open(3, "b"));

        var error = Assert.IsType<PxpProtocolException>(session.Wire.ExpectSubscriptionAndError());
        Assert.Equal("Peer opened channel 3 again while it was still open", error.Message);
    });

    [Fact]
    public Task Multiplexer_must_let_the_peer_reuse_a_channel_number_it_ended() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var first = await session.OpenAsync("first");
        var second = await session.OpenAsync("second");

        session.Send(Open(0, "first"), Data(0, "1"), End(0));
        session.ExpectFrame(0, FrameType.EndFromReceiver);
        session.Send(Open(0, "second"), Data(0, "2"));

        Assert.Equal("1", first.Reader.RequestNext().ToString());
        first.Reader.ExpectComplete();
        Assert.Equal("2", second.Reader.RequestNext().ToString());
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_cap_the_channels_the_peer_opens() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSubstreams: 3));
        // Three held opens fit; the stage is still alive to answer an end. The ended one still holds
        // its (empty) buffer until claimed, so it keeps counting.
        session.Send(Open(0, "a"), Open(1, "b"), Open(2, "c"), End(2));
        session.ExpectFrame(2, FrameType.EndFromReceiver);

        session.Send(Open(3, "d"));

        var error = Assert.IsType<PxpProtocolException>(session.Wire.ExpectError());
        Assert.Equal("Peer opened more than 3 substreams", error.Message);
        await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion);
    });

    [Fact]
    public Task Multiplexer_must_count_held_opens_once_against_the_cap() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSubstreams: 3));
        session.Send(Open(0, "theirs-1"), Open(1, "theirs-2")); // neither registered yet

        var ours = await session.OpenAsync("ours");
        session.WriteAndExpect(ours, 0, "still room for one", opens: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.Mux.OpenAsync("one-too-many"));
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_count_our_channels_and_the_peers_together_against_the_cap() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSubstreams: 3));
        await session.OpenAsync("ours-1");
        await session.OpenAsync("ours-2");
        session.Send(Open(0, "theirs")); // unclaimed: the third

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => session.Mux.OpenAsync("ours-3"));
        Assert.Equal("Cannot open substream \"ours-3\": 3 substreams are open", refused.Message);
        session.Send(Open(1, "theirs-2"));
        Assert.IsType<PxpProtocolException>(session.Wire.ExpectSubscriptionAndError());
    });

    [Fact]
    public Task Multiplexer_must_free_capacity_when_channels_finish() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSubstreams: 2));
        var a = await session.OpenAsync("a");
        session.Send(Open(0, "a"), End(0));
        session.ExpectFrame(0, FrameType.EndFromReceiver);
        a.Reader.Request(1);
        a.Reader.ExpectComplete();
        a.Writer.SendComplete();
        session.ExpectFrame(0, FrameType.Open, "a");
        session.ExpectFrame(0, FrameType.EndFromCreator);
        session.Send(EndOurs(0));

        // "a" is finished both ways: two fresh substreams fit again.
        var b = await session.OpenAsync("b");
        var c = await session.OpenAsync("c");
        session.WriteAndExpect(b, 0, "b", opens: true);
        session.WriteAndExpect(c, 1, "c", opens: true);
        await session.EndFromPeerAsync();
    });
}
