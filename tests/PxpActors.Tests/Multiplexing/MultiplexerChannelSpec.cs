using Akka.IO;
using PxpActors.Protocol.Framing;
using Xunit.Abstractions;
using static PxpActors.Tests.Multiplexing.PeerFrames;
using PxpActors.Buffers;
using PxpActors.Multiplexing;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>Substreams used as channels (no graph of their own): the same semantics, bounded both ways.</summary>
public sealed class MultiplexerChannelSpec(ITestOutputHelper output) : StreamSpec(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static async Task<SubstreamChannel> OpenChannel(MultiplexerSession session, string name, bool control = false)
    {
        var channel = session.Mux.OpenChannel(name, control);
        await channel.Opened.WaitAsync(Timeout);
        return channel;
    }

    private static async Task<string?> ReadText(SubstreamChunkReader reader) =>
        (await reader.ReadAsync().AsTask().WaitAsync(Timeout))?.ToString();

    [Fact]
    public Task Channel_must_read_what_the_peer_sends_then_null_at_its_end() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = (await OpenChannel(session, "data:x")).ReadChunks();

        session.Send(Open(0, "data:x"), Data(0, "ab"), Data(0, "cd"), End(0));

        Assert.Equal("ab", await ReadText(data));
        Assert.Equal("cd", await ReadText(data));
        Assert.Null(await ReadText(data));
        session.ExpectFrame(0, FrameType.EndFromReceiver); // multiplex answers an end with its own
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_send_writes_as_data_frames_and_end_with_an_end_frame() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = (await OpenChannel(session, "data:x")).Writer;

        await data.WriteAsync(ByteString.FromString("hi")).AsTask().WaitAsync(Timeout);
        data.CompleteWrites();

        session.ExpectFrame(0, FrameType.Open, "data:x");
        session.ExpectFrame(0, FrameType.DataFromCreator, "hi");
        session.ExpectFrame(0, FrameType.EndFromCreator);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_stop_reading_the_transport_while_its_reader_is_a_buffer_behind() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 10));
        var slow = (await OpenChannel(session, "relay:slow")).ReadChunks();
        var eight = new string('8', 8);

        session.Send(Open(0, "relay:slow"), Data(0, eight)); // 8 untaken: within the bound
        session.Send(Data(0, eight));                        // 16 untaken: over it, the stage stops pulling
        session.Send(Data(0, eight));                        // taken by the one-element input buffer only
        session.Transport.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Assert.Equal(eight, await ReadText(slow));
        Assert.Equal(eight, await ReadText(slow)); // half the bound free again: the stage reads on
        Assert.True(session.Transport.ExpectRequest() > 0);
        Assert.Equal(eight, await ReadText(slow));
        await session.EndFromPeerAsync();
        Assert.Null(await ReadText(slow));
    });

    [Fact]
    public Task Channel_must_make_a_writer_wait_while_a_buffer_is_unsent() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer,
            new MultiplexerSettings(SubstreamBufferBytes: 10, MaxSendFramePayload: 4));
        var data = (await OpenChannel(session, "data:x")).Writer;

        var write = data.WriteAsync(ByteString.FromString("0123456789AB")).AsTask(); // 12 unsent > 10
        await Task.Yield();
        Assert.False(write.IsCompleted);

        session.ExpectFrame(0, FrameType.Open, "data:x");
        session.ExpectFrame(0, FrameType.DataFromCreator, "0123"); // 8 unsent: room again
        await write.WaitAsync(Timeout);
        session.ExpectFrame(0, FrameType.DataFromCreator, "4567");
        session.ExpectFrame(0, FrameType.DataFromCreator, "89AB");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_forward_to_an_actor_and_wait_for_releases() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(SubstreamBufferBytes: 10));
        var pxp = await OpenChannel(session, "pxp", control: true);
        var forwarding = pxp.ForwardTo(TestActor);

        session.Send(Open(0, "pxp"), Data(0, "one-two-three"));
        session.Send(Data(0, "four")); // not read from the transport: 13 bytes unreleased are over the bound
        var first = ExpectMsg<SubstreamReceived>();
        Assert.Equal("one-two-three", first.Data.ToString());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Assert.Same(forwarding, first.From);
        forwarding.Release(first.Data.Count);
        Assert.Equal("four", ExpectMsg<SubstreamReceived>().Data.ToString());
        session.Send(End(0));
        var finished = ExpectMsg<SubstreamFinished>();
        Assert.Null(finished.Error);
        Assert.Same(forwarding, finished.From);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_hand_chunks_kept_before_a_leased_forward_over_as_leased_copies() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var relay = await OpenChannel(session, "relay:1");
        session.Send(Open(0, "relay:1"), Data(0, "early bytes"));
        await AwaitConditionAsync(() => Task.FromResult(relay.KeptChunks == 1)); // "early bytes" wait in the channel

        var handed = new System.Collections.Concurrent.BlockingCollection<object>();
        var forwarding = relay.ForwardTo(handed.Add, leasedChunks: true);
        session.Send(Data(0, "late"));

        foreach (var expected in new[] { "early bytes", "late" })
        {
            Assert.True(handed.TryTake(out var message, Timeout));
            var received = Assert.IsType<SubstreamReceived>(message);
            Assert.Equal(expected, received.Data.ToString());
            // Each chunk comes leased, whichever way it was kept: the receiver lets go of it, and the array goes back to the pool.
            var lease = Assert.IsType<ChunkLease>(received.Lease);
            received.ReleaseLease();
            Assert.True(lease.IsReturned);
            forwarding.Release(received.Data.Count);
        }
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_fail_reads_on_a_peer_reset_and_writes_once_the_peer_destroyed_ours() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var relay = await OpenChannel(session, "relay:1");
        var reader = relay.ReadChunks();
        await relay.Writer.WriteAsync(ByteString.FromString("x"));
        session.ExpectFrame(0, FrameType.Open, "relay:1");
        session.ExpectFrame(0, FrameType.DataFromCreator, "x");

        session.Send(Open(0, "relay:1"), Reset(0, "gone"), ResetOurs(0, "gone too"));

        var reset = await Assert.ThrowsAsync<SubstreamResetException>(() => reader.ReadAsync().AsTask().WaitAsync(Timeout));
        Assert.Contains("gone", reset.Message);
        await AwaitAssertAsync(async () =>
            await Assert.ThrowsAsync<SubstreamResetException>(() => relay.Writer.WriteAsync(ByteString.FromString("y")).AsTask()));
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Control_channel_frames_must_go_out_ahead_of_data_queued_before_them() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxSendFramePayload: 4));
        var data = (await OpenChannel(session, "data:x")).Writer;
        var pxp = (await OpenChannel(session, "pxp", control: true)).Writer;

        await data.WriteAsync(ByteString.FromString("aaaabbbbcccc"));
        session.ExpectFrame(0, FrameType.Open, "data:x");
        session.ExpectFrame(0, FrameType.DataFromCreator, "aaaa"); // two more data frames wait
        Assert.True(pxp.TrySend(ByteString.FromString("[\"res\",\"0\",null]\n")));

        session.ExpectFrame(1, FrameType.Open, "pxp");
        session.ExpectFrame(1, FrameType.DataFromCreator, "[\"re");
        session.ExpectFrame(1, FrameType.DataFromCreator, "s\",\"");
        session.ExpectFrame(1, FrameType.DataFromCreator, "0\",n");
        session.ExpectFrame(1, FrameType.DataFromCreator, "ull]");
        session.ExpectFrame(1, FrameType.DataFromCreator, "\n");
        session.ExpectFrame(0, FrameType.DataFromCreator, "bbbb");
        session.ExpectFrame(0, FrameType.DataFromCreator, "cccc");
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Control_channel_must_fail_the_session_when_the_peer_does_not_read() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, new MultiplexerSettings(MaxQueuedControlFrames: 8));
        var pxp = (await OpenChannel(session, "pxp", control: true)).Writer;

        for (var i = 0; i < 10; i++) pxp.TrySend(ByteString.FromString($"[\"getpeers\",\"{i}\",\"x\"]\n"));

        var error = await Assert.ThrowsAsync<Protocol.PxpProtocolException>(() => session.Mux.Completion.WaitAsync(Timeout));
        Assert.Contains("does not read", error.Message);
        Assert.False(pxp.TrySend(ByteString.FromString("late")));
    });

    [Fact]
    public Task Channel_must_fail_reads_and_writes_when_the_session_is_aborted() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await OpenChannel(session, "data:x");
        var reading = data.ReadChunks().ReadAsync().AsTask();

        session.Mux.Abort(new IOException("transport broke"));

        await Assert.ThrowsAsync<IOException>(() => reading.WaitAsync(Timeout));
        await Assert.ThrowsAsync<MultiplexerClosedException>(() => data.Writer.WriteAsync(ByteString.FromString("late")).AsTask());
        session.Transport.ExpectCancellation();
    });

    [Fact]
    public Task Channel_must_be_usable_before_the_stage_has_registered_it() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = session.Mux.OpenChannel("data:x"); // not awaited: the write follows the open in order

        await data.Writer.WriteAsync(ByteString.FromString("at once"));

        session.ExpectFrame(0, FrameType.Open, "data:x");
        session.ExpectFrame(0, FrameType.DataFromCreator, "at once");
        Assert.True(data.Opened.IsCompletedSuccessfully);
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_fail_with_the_reason_when_the_stage_refuses_its_name() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        await OpenChannel(session, "relay:1");

        var again = session.Mux.OpenChannel("relay:1");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => again.Opened.WaitAsync(Timeout));
        Assert.Contains("already open", refused.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => again.ReadChunks().ReadAsync().AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => again.Writer.WriteAsync(ByteString.FromString("x")).AsTask());
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Channel_must_have_one_reader_however_it_is_claimed() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer);
        var data = await OpenChannel(session, "data:x");
        var reader = data.ReadBytes();

        // A second way of reading is refused when it is claimed, before anything is read.
        Assert.Contains("has a reader already", Assert.Throws<InvalidOperationException>(() => data.ReadChunks()).Message);
        Assert.Throws<InvalidOperationException>(() => data.ReadBytes());
        Assert.Throws<InvalidOperationException>(() => data.ForwardTo(TestActor));

        session.Send(Open(0, "data:x"), Data(0, "still mine"), End(0));
        var buffer = new byte[32];
        var read = await reader.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.Equal("still mine", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // nothing went to the refused forward target
        await session.EndFromPeerAsync();
    });
}
