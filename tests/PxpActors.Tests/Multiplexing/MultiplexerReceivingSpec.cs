using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using Xunit.Abstractions;
using static PxpActors.Tests.Multiplexing.PeerFrames;
using PxpActors.Multiplexing;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>What the peer sends: ends, resets, protocol errors, the transport ending, and backpressure.</summary>
public sealed class MultiplexerReceivingSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Fact]
    public Task Multiplexer_must_complete_a_substream_the_peer_ended_and_answer_with_type_3() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");

        session.Send(Open(5, "pxp"), Data(5, "a"), End(5));

        session.ExpectFrame(5, FrameType.EndFromReceiver);
        Assert.Equal("a", pxp.Reader.RequestNext().ToString());
        pxp.Reader.ExpectComplete();
        // Half-close: our direction is still open.
        session.WriteAndExpect(pxp, 0, "still writing", opens: true);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_fail_only_the_substream_the_peer_reset() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var relay = await session.OpenAsync("relay:1");
        var pxp = await session.OpenAsync("pxp");
        session.Send(Open(0, "pxp"), Open(1, "relay:1"), Data(1, "dropped with the reset"));

        session.Send(Reset(1, "boom"));

        var error = Assert.IsType<SubstreamResetException>(relay.Reader.ExpectSubscriptionAndError());
        Assert.Equal("relay:1", error.Substream);
        Assert.Equal("Peer reset substream \"relay:1\": boom", error.Message);
        session.Send(Data(0, "pxp keeps flowing"));
        Assert.Equal("pxp keeps flowing", pxp.Reader.RequestNext().ToString());
        session.WriteAndExpect(pxp, 1, "both ways", opens: true);
        session.WriteAndExpect(relay, 0, "our side of the relay too", opens: true);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_name_an_empty_reset_channel_destroyed() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await session.OpenAsync("data:x");
        session.Send(Open(0, "data:x"), Reset(0));

        var error = Assert.IsType<SubstreamResetException>(data.Reader.ExpectSubscriptionAndError());
        Assert.Equal("Peer reset substream \"data:x\": Channel destroyed", error.Message);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_forget_a_held_open_the_peer_reset() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        session.Send(Open(0, "gone"), Data(0, "never read"), Reset(0));
        session.Send(Open(0, "gone"), Data(0, "second life"));

        var gone = await session.OpenAsync("gone");

        Assert.Equal("second life", gone.Reader.RequestNext().ToString());
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_ignore_a_reset_after_the_end_as_the_reference_sends_on_teardown() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var relay = await session.OpenAsync("relay:1");
        session.Send(Open(0, "relay:1"), Data(0, "last bytes"), End(0), Reset(0, "destroyed"), Reset(9));

        session.ExpectFrame(0, FrameType.EndFromReceiver);
        Assert.Equal("last bytes", relay.Reader.RequestNext().ToString());
        relay.Reader.ExpectComplete();
        session.WriteAndExpect(relay, 0, "session still alive", opens: true);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_stop_taking_writes_on_a_channel_the_peer_destroyed() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await session.OpenAsync("data:x");
        session.WriteAndExpect(data, 0, "first", opens: true);

        session.Send(ResetOurs(0, "not reading"));

        data.Writer.ExpectCancellation();
        // The name is free again once the peer's own channel is gone too.
        session.Send(Open(0, "data:x"), End(0));
        session.ExpectFrame(0, FrameType.EndFromReceiver);
        data.Reader.Request(1);
        data.Reader.ExpectComplete();
        var again = await session.OpenAsync("data:x");
        session.WriteAndExpect(again, 0, "channel 0 is reusable", opens: true);
        await session.EndFromPeerAsync();
    });

    public static TheoryData<string, Frame[], string> ProtocolErrors => new()
    {
        { "data on our own channel (type 1)", [DataOnOurs(0, "x")], "Peer wrote to channel 0, which we created (PXP channels are one-way)" },
        { "data on a channel never opened", [Data(9, "x")], "Peer sent a DataFromCreator frame on channel 9, which it never opened" },
        { "end of a channel never opened", [End(9)], "Peer sent a EndFromCreator frame on channel 9, which it never opened" },
        { "data after the end", [Open(0, "other"), End(0), Data(0, "late")], "Peer sent a DataFromCreator frame on channel 0, which it never opened" },
        { "frame type 7", [new Frame(0, (FrameType)7, ReadOnlyMemory<byte>.Empty)], "Invalid multiplex frame type 7 (header 7)" },
        { "a frame over the limit", [Open(0, "pxp"), Data(0, new byte[1025])], "Multiplex frame of 1025 bytes exceeds the limit of 1024 bytes" },
        { "a channel name that is not UTF-8", [new Frame(0, FrameType.Open, new byte[] { 0xC3, 0x28 })], "Peer opened a channel whose name is not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(ProtocolErrors))]
    public Task Multiplexer_must_fail_the_session_with_PxpProtocolException_on(string what, Frame[] frames, string message) =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxFramePayload: 1024));
            var pxp = await session.OpenAsync("pxp");
            session.Wire.Request(10);

            session.Send(frames);

            var error = session.Wire.ExpectErrorOrFrames();
            Assert.True(error is PxpProtocolException, $"{what}: {error}");
            Assert.Equal(message, error.Message);
            Assert.Same(error, pxp.Reader.ExpectSubscriptionAndError());
            pxp.Writer.ExpectCancellation();
            Assert.Same(error, await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion));
            var closed = await Assert.ThrowsAsync<MultiplexerClosedException>(() => session.Mux.OpenAsync("later"));
            Assert.Same(error, closed.InnerException);
        });

    [Fact]
    public Task Multiplexer_must_fail_the_session_when_the_transport_ends_inside_a_frame() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        // Part of a data frame on an open channel: its first byte is handed on, the rest never comes.
        session.Transport.SendNext(ByteString.FromBytes(Open(0, "pxp").ToArray().Concat(Data(0, "abc").ToArray()[..3]).ToArray()));
        session.Transport.SendComplete();

        var error = Assert.IsType<PxpProtocolException>(session.Wire.ExpectSubscriptionAndError());
        Assert.Equal("Connection ended in the middle of a multiplex frame", error.Message);
        await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion);
    });

    [Fact]
    public Task Multiplexer_must_fail_the_session_when_the_transport_fails() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var pxp = await session.OpenAsync("pxp");
        var broken = new IOException("connection reset");

        session.Transport.SendError(broken);

        Assert.Same(broken, pxp.Reader.ExpectSubscriptionAndError());
        Assert.Same(broken, session.Wire.ExpectSubscriptionAndError());
        Assert.Same(broken, await Assert.ThrowsAsync<IOException>(() => session.Mux.Completion));
    });

    [Fact]
    public Task Multiplexer_must_complete_substreams_after_their_buffered_data_when_the_transport_ends() =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer);
            var pxp = await session.OpenAsync("pxp");
            var data = await session.OpenAsync("data:test");
            session.Send(Open(0, "pxp"), Open(1, "data:test"), Data(0, "one"), Data(1, "two"), Data(0, "three"));

            session.Transport.SendComplete();

            pxp.Reader.Request(3);
            pxp.Reader.ExpectNext(ByteString.FromString("one"), ByteString.FromString("three"));
            pxp.Reader.ExpectComplete();
            Assert.False(session.Mux.Completion.IsCompleted, "data:test still has a buffered element");
            Assert.Equal("two", data.Reader.RequestNext().ToString());
            data.Reader.ExpectComplete();
            await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
            session.Wire.ExpectSubscriptionAndComplete();
        });

    [Fact]
    public Task Multiplexer_must_stop_reading_the_transport_while_a_slow_substream_is_over_its_buffer() =>
        StagesStopAfter(async () =>
        {
            var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 10));
            var slow = await session.OpenAsync("relay:slow");
            var eight = new string('8', 8);

            session.Send(Open(0, "relay:slow"), Data(0, eight)); // 8 bytes buffered: within the bound
            session.Send(Data(0, eight));                        // 16 bytes: over it, the stage stops pulling
            session.Send(Data(0, eight));                        // taken by the one-element input buffer only
            session.Transport.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

            slow.Reader.Request(1); // 8 bytes left: under the bound, reading resumes
            Assert.Equal(eight, slow.Reader.ExpectNext().ToString());
            Assert.True(session.Transport.ExpectRequest() > 0);

            slow.Reader.Request(2);
            slow.Reader.ExpectNext(ByteString.FromString(eight), ByteString.FromString(eight));
            await session.EndFromPeerAsync();
            slow.Reader.ExpectComplete();
        });

    [Fact]
    public Task Multiplexer_must_reap_a_substream_nobody_claims_and_keep_reading_the_transport() => StagesStopAfter(async () =>
    {
        var settings = new MultiplexerSettings(SubstreamBufferBytes: 10) { UnclaimedSubstreamTimeout = TimeSpan.FromMilliseconds(200) };
        var session = new MultiplexerSession(this, Materializer, settings);
        var pxp = await session.OpenAsync("pxp");
        var eight = new string('8', 8);

        session.Send(Open(0, "pxp"), Open(1, "orphan"), Data(1, eight));
        session.Send(Data(1, eight)); // 16 bytes nobody claims: over the bound, the stage stops pulling
        session.Send(Data(1, eight)); // taken by the one-element input buffer only

        // Nobody claims "orphan": the timer reaps it, and the transport is read again.
        Assert.True(session.Transport.ExpectRequest() > 0);
        session.Send(Data(1, "dropped as well"), Data(0, "alive"));
        Assert.Equal("alive", pxp.Reader.RequestNext().ToString());

        // Claimed too late: nothing the peer sent on it reaches the reader, and reaping sent nothing to the peer.
        var orphan = await session.OpenAsync("orphan");
        orphan.Reader.Request(1);
        session.Send(End(1));
        session.ExpectFrame(1, FrameType.EndFromReceiver);
        await session.EndFromPeerAsync();
        orphan.Reader.ExpectComplete();
        pxp.Reader.ExpectComplete();
    });

    [Fact]
    public Task Multiplexer_must_keep_reading_the_transport_for_a_fast_substream() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 10));
        var fast = await session.OpenAsync("relay:fast");
        fast.Reader.Request(1000);

        session.Send(Open(0, "relay:fast"));
        for (var i = 0; i < 200; i++) session.Send(Data(0, $"{i:D8}")); // 1600 bytes through a 10-byte bound

        for (var i = 0; i < 200; i++) Assert.Equal($"{i:D8}", fast.Reader.ExpectNext().ToString());
        await session.EndFromPeerAsync();
        fast.Reader.ExpectComplete();
    });

    [Fact]
    public Task Multiplexer_must_not_let_a_slow_substream_hold_up_another_before_its_bound() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 100));
        var slow = await session.OpenAsync("relay:slow");
        var pxp = await session.OpenAsync("pxp");
        session.Send(Open(0, "relay:slow"), Open(1, "pxp"));

        session.Send(Data(0, new string('s', 50)));
        session.Send(Data(1, "[\"getpeers\"]"));

        Assert.Equal("[\"getpeers\"]", pxp.Reader.RequestNext().ToString());
        session.Transport.SendComplete();
        Assert.Equal(50, slow.Reader.RequestNext().Count);
        slow.Reader.ExpectComplete();
        await session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
    });

    [Fact]
    public Task Multiplexer_must_discard_data_for_a_cancelled_reader_without_backpressure() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 10));
        var ignored = await session.OpenAsync("ignored");
        var pxp = await session.OpenAsync("pxp");
        session.Send(Open(0, "ignored"), Open(1, "pxp"), Data(0, "buffered, then dropped"));

        ignored.Reader.Cancel();
        for (var i = 0; i < 20; i++) session.Send(Data(0, "nobody reads this"));
        session.Send(Data(1, "alive"));

        Assert.Equal("alive", pxp.Reader.RequestNext().ToString());
        await session.EndFromPeerAsync();
    });
    [Fact]
    public Task Multiplexer_must_stop_on_random_bytes_with_PxpProtocolException_or_cleanly() => StagesStopAfter(async () =>
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var chunks = Enumerable.Range(0, 8).Select(_ =>
            {
                var bytes = new byte[random.Next(1, 24)];
                random.NextBytes(bytes);
                // Keep headers small now and then, so the garbage often parses as frames on low channels.
                if (random.Next(2) == 0) bytes[0] &= 0x3F;
                return ByteString.FromBytes(bytes);
            }).ToList();

            var mux = Source.From(chunks)
                .ViaMaterialized(new MultiplexerStage(new MultiplexerSettings(MaxFramePayload: 64, MaxSubstreams: 8)), Keep.Right)
                .To(Sink.Ignore<ByteString>())
                .Run(Materializer);

            var failure = await Record.ExceptionAsync(() => mux.Completion.WaitAsync(TimeSpan.FromSeconds(3)));
            Assert.True(failure is null or PxpProtocolException, $"seed {seed}: {failure}");
        }
    });
}
