using Akka.IO;
using PxpActors.Protocol.Framing;
using Xunit.Abstractions;
using static PxpActors.Tests.Multiplexing.PeerFrames;
using PxpActors.Multiplexing;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>What we write: frame sizes, fairness between writers, closing and aborting.</summary>
public sealed class MultiplexerSendingSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Fact]
    public Task Multiplexer_must_split_a_write_larger_than_the_send_frame_limit() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSendFramePayload: 4));
        var data = await session.OpenAsync("data:test");

        data.Writer.SendNext(ByteString.FromString("0123456789"));

        session.ExpectFrame(0, FrameType.Open, "data:test");
        session.ExpectFrame(0, FrameType.DataFromCreator, "0123");
        session.ExpectFrame(0, FrameType.DataFromCreator, "4567");
        session.ExpectFrame(0, FrameType.DataFromCreator, "89");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_not_split_off_a_sliver_of_at_most_the_send_frame_slack() => StagesStopAfter(async () =>
    {
        var settings = new MultiplexerSettings(MaxSendFramePayload: 4096);
        var session = new MultiplexerSession(this, Materializer, settings);
        var data = await session.OpenAsync("data:test");
        var atSlack = new string('a', 4096 + settings.SendFrameSlack);
        var pastSlack = new string('b', 4096 + settings.SendFrameSlack + 1);

        data.Writer.SendNext(ByteString.FromString(atSlack));
        session.ExpectFrame(0, FrameType.Open, "data:test");
        session.ExpectFrame(0, FrameType.DataFromCreator, atSlack); // a nested session's frame and its header: one frame
        data.Writer.SendNext(ByteString.FromString(pastSlack));
        session.ExpectFrame(0, FrameType.DataFromCreator, pastSlack[..4096]);
        session.ExpectFrame(0, FrameType.DataFromCreator, pastSlack[4096..]);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_take_the_next_write_only_after_the_previous_one_is_on_the_wire() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await session.OpenAsync("data:test");

        data.Writer.SendNext(ByteString.FromString("first"));  // held by the stage until the transport asks
        data.Writer.SendNext(ByteString.FromString("second")); // held by the one-element input buffer
        data.Writer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        session.ExpectFrame(0, FrameType.Open, "data:test");
        session.ExpectFrame(0, FrameType.DataFromCreator, "first");
        Assert.True(data.Writer.ExpectRequest() > 0);
        session.ExpectFrame(0, FrameType.DataFromCreator, "second");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_serve_writers_round_robin_one_frame_each() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSendFramePayload: 4));
        var a = await session.OpenAsync("a");
        var b = await session.OpenAsync("b");

        // b's write reaches the stage through its own stream actor, some frames of a later: a has far more to send.
        a.Writer.SendNext(ByteString.FromString(new string('A', 400)));
        b.Writer.SendNext(ByteString.FromString(new string('B', 16)));
        var frames = new List<WireFrame>();
        while (frames.Count(f => f.Type == FrameType.DataFromCreator && f.Channel == 1) < 4) frames.Add(session.NextFrame());
        frames.Add(session.NextFrame());

        Assert.Equal(2, frames.Count(f => f.Type == FrameType.Open));
        var data = frames.Where(f => f.Type == FrameType.DataFromCreator).ToList();
        Assert.All(data, f => Assert.True(f.Text == "AAAA" && f.Channel == 0 || f.Text == "BBBB" && f.Channel == 1));
        // Once b has something queued, no writer sends two frames in a row while the other waits.
        var firstB = data.FindIndex(f => f.Channel == 1);
        var lastB = data.FindLastIndex(f => f.Channel == 1);
        for (var i = firstB; i < lastB; i++) Assert.NotEqual(data[i].Channel, data[i + 1].Channel);
        Assert.Equal(0u, data[^1].Channel); // a was still sending when b was done: the two shared the transport
        Assert.True(firstB <= 100 - 4, $"b waited behind {firstB} frames of a");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_skip_empty_writes() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await session.OpenAsync("data:test");

        data.Writer.SendNext(ByteString.Empty);
        data.Writer.SendNext(ByteString.FromString("x"));

        session.ExpectFrame(0, FrameType.Open, "data:test");
        session.ExpectFrame(0, FrameType.DataFromCreator, "x");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_end_our_channel_with_an_end_frame_even_when_the_writer_fails() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var relay = await session.OpenAsync("relay:1");
        session.WriteAndExpect(relay, 0, "bytes", opens: true);

        relay.Writer.SendError(new IOException("the other side of the relay broke"));

        // Never a reset frame: a JS hub drops the whole session on one (PROTOCOL.md section 6).
        session.ExpectFrame(0, FrameType.EndFromCreator);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_Close_must_complete_the_transport_and_end_every_substream() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");
        session.Send(Open(0, "pxp"));

        session.Mux.Close();

        session.Wire.ExpectSubscriptionAndComplete();
        pxp.Reader.ExpectSubscriptionAndComplete();
        pxp.Writer.ExpectCancellation();
        session.Transport.ExpectCancellation();
        await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAsync<MultiplexerClosedException>(() => session.Mux.OpenAsync("later"));
    });

    [Fact]
    public Task Multiplexer_Close_must_flush_queued_frames_before_completing() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");
        session.Send(Open(3, "pxp"), End(3)); // queues our answer while the transport is not asking
        pxp.Reader.Request(1);
        pxp.Reader.ExpectComplete();

        session.Mux.Close();

        session.ExpectFrame(3, FrameType.EndFromReceiver);
        session.Wire.ExpectComplete();
        await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
    });

    [Fact]
    public Task Multiplexer_CloseAfter_must_send_a_parting_reply_and_its_end_before_completing() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");
        pxp.Writer.SendNext(ByteString.FromString("[\"res\",\"0\",\"Unknown network\"]\n"));
        pxp.Writer.SendComplete();

        session.Mux.CloseAfter("pxp");

        session.ExpectFrame(0, FrameType.Open, "pxp");
        session.ExpectFrame(0, FrameType.DataFromCreator, "[\"res\",\"0\",\"Unknown network\"]\n");
        session.ExpectFrame(0, FrameType.EndFromCreator);
        session.Wire.ExpectComplete();
        await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
    });

    [Fact]
    public Task Multiplexer_CloseAfter_a_substream_with_nothing_left_to_send_must_close_at_once() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);

        session.Mux.CloseAfter("pxp");

        session.Wire.ExpectSubscriptionAndComplete();
        await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
    });

    [Fact]
    public Task Multiplexer_Abort_must_fail_the_transport_and_every_substream_with_the_reason() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");
        var data = await session.OpenAsync("data:test");
        var reason = new TimeoutException("handshake timed out");

        session.Mux.Abort(reason);

        Assert.Same(reason, session.Wire.ExpectSubscriptionAndError());
        Assert.Same(reason, pxp.Reader.ExpectSubscriptionAndError());
        Assert.Same(reason, data.Reader.ExpectSubscriptionAndError());
        pxp.Writer.ExpectCancellation();
        data.Writer.ExpectCancellation();
        session.Transport.ExpectCancellation();
        Assert.Same(reason, await Assert.ThrowsAsync<TimeoutException>(() => session.Mux.Completion));
        var closed = await Assert.ThrowsAsync<MultiplexerClosedException>(() => session.Mux.OpenAsync("later"));
        Assert.Same(reason, closed.InnerException);
    });

    [Fact]
    public Task Multiplexer_must_fail_when_the_transport_stops_accepting_data() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");

        session.Wire.Cancel();

        Assert.IsType<MultiplexerClosedException>(pxp.Reader.ExpectSubscriptionAndError());
        await Assert.ThrowsAsync<MultiplexerClosedException>(() => session.Mux.Completion);
    });

    [Fact]
    public Task Multiplexer_must_accept_opens_requested_before_it_started() => StagesStopAfter(async () =>
    {
        // OpenAsync on a handle whose stage has not run PreStart yet is replayed once it has.
        var session = new MultiplexerSession(this, Materializer);
        var early = session.Mux.OpenAsync("pxp");
        var pxp = await session.OpenAsync("data:test");

        Assert.Equal("pxp", (await early.WaitAsync(TimeSpan.FromSeconds(3))).Name);
        session.WriteAndExpect(pxp, 1, "second registered, second channel", opens: true);
        await session.EndFromPeerAsync();
    });
}
