using System.Text;
using Akka.IO;
using PxpActors.Protocol.Framing;
using PxpActors.Tests.Streams;
using PxpActors.Tests.Support;
using Xunit.Abstractions;
using PxpActors.Multiplexing;

namespace PxpActors.Tests.SocketSessions;

/// <summary>
/// A multiplexer joined to a socket as a session joins them: data frames sent straight from the writer's buffer
/// through the transport's shared sender, and received chunks lent by the transport.
/// </summary>
public sealed class SocketMultiplexerSpec(ITestOutputHelper output) : StreamSpec(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly MultiplexerSettings Settings = new(MaxSendFramePayload: 16 * 1024);

    // More than loopback's socket buffers hold on both ends: a peer that does not read blocks this write.
    private const int BlockingWriteSize = 32 * 1024 * 1024;

    private static async Task<SubstreamWriter> DirectChannelAsync(SocketMultiplexerPair pair, string name)
    {
        var channel = pair.Mux.OpenChannel(name).Writer;
        await channel.WriteAsync("first"u8.ToArray().AsMemory()).AsTask().WaitAsync(Timeout);
        // The hand-over happens once the transport has sent the frames queued in the stage.
        await UntilAsync(() => channel.SendsDirectly, "The channel never started sending directly");
        return channel;
    }

    /// <summary>Waits for a state the stage reaches on its own thread.</summary>
    private static Task UntilAsync(Func<bool> condition, string failure) => Condition.UntilAsync(condition, failure, Timeout);

    private static byte[] Payloads(IEnumerable<Frame> frames, uint channel) =>
        frames.Where(f => f.Channel == channel && f.Type == FrameType.DataFromCreator).SelectMany(f => f.Payload.ToArray()).ToArray();

    [Fact]
    public Task Writes_must_go_straight_to_the_socket_in_order_from_a_buffer_the_writer_may_reuse_at_once() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        var rpc = pair.Mux.OpenChannel("pxp", control: true).Writer;
        var random = new Random(7);
        var buffer = new byte[100_000];
        var expected = new List<byte>("first"u8.ToArray());

        for (var i = 0; i < 40; i++)
        {
            var size = random.Next(1, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, size));
            await data.WriteAsync(buffer.AsMemory(0, size)).AsTask().WaitAsync(Timeout);
            expected.AddRange(buffer.AsSpan(0, size).ToArray());
            Array.Fill(buffer, (byte)0xEE); // reused at once: what was sent must not change
            if (i % 10 == 0) Assert.True(rpc.TrySend(ByteString.FromString($"[\"ping\",\"{i}\"]\n")));
        }
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        Assert.Equal(expected.ToArray(), Payloads(frames, 0));
        Assert.All(frames, f => Assert.True(f.Payload.Length <= Settings.MaxSendFramePayload + Settings.SendFrameSlack));
        Assert.Equal(4, frames.Count(f => f is { Channel: 1, Type: FrameType.DataFromCreator }));
        var dataFrames = frames.Count(f => f is { Channel: 0, Type: FrameType.DataFromCreator });
        Assert.True(pair.Transport.Sender!.ElementsSent < dataFrames / 2,
            $"the stage sent {pair.Transport.Sender.ElementsSent} elements for {dataFrames} data frames: most should have gone straight out");

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_direct_write_of_many_frames_must_go_out_whole_and_in_order_over_several_gathered_sends() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        // 64 frames of 16 KiB and a last one of 1 byte: more frames, and more bytes, than one send gathers.
        var payload = new byte[64 * 16 * 1024 + 1];
        new Random(3).NextBytes(payload);

        await data.WriteAsync(payload.AsMemory()).AsTask().WaitAsync(Timeout);
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        var dataFrames = frames.Where(f => f is { Channel: 0, Type: FrameType.DataFromCreator }).Skip(1).ToList(); // after "first"
        Assert.Equal(64, dataFrames.Count);
        Assert.All(dataFrames[..63], f => Assert.Equal(16 * 1024, f.Payload.Length));
        Assert.Equal(16 * 1024 + 1, dataFrames[^1].Payload.Length); // the last byte rides in the slack
        Assert.Equal(payload, dataFrames.SelectMany(f => f.Payload.ToArray()).ToArray());

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_direct_write_over_the_frame_limit_by_at_most_the_slack_must_go_out_as_one_frame() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        var atSlack = new byte[Settings.MaxSendFramePayload + Settings.SendFrameSlack];
        var pastSlack = new byte[atSlack.Length + 1];
        new Random(5).NextBytes(atSlack);
        new Random(6).NextBytes(pastSlack);

        await data.WriteAsync(atSlack.AsMemory()).AsTask().WaitAsync(Timeout);
        await data.WriteAsync(pastSlack.AsMemory()).AsTask().WaitAsync(Timeout);
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        Assert.Equal([.. "first"u8.ToArray(), .. atSlack, .. pastSlack], Payloads(frames, 0));
        var sizes = frames.Where(f => f is { Channel: 0, Type: FrameType.DataFromCreator }).Select(f => f.Payload.Length).ToList();
        Assert.Equal([5, atSlack.Length, Settings.MaxSendFramePayload, Settings.SendFrameSlack + 1], sizes);
        Assert.True(pair.Transport.Sender!.ElementsSent <= 3, "the writes went through the stage, not straight out"); // open, "first", end

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_write_of_several_buffers_must_go_out_as_frames_that_cut_across_them_without_a_gap() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        var random = new Random(11);
        var expected = new List<byte>("first"u8.ToArray());

        foreach (var sizes in new[] { new[] { 3, 40_000 }, [16 * 1024, 16 * 1024, 1], [0, 5, 0, 70_000, 2] })
        {
            var parts = sizes.Select(size =>
            {
                var bytes = new byte[size];
                random.NextBytes(bytes);
                return bytes;
            }).ToList();
            var joined = parts.Aggregate(ByteString.Empty, (all, part) => all.Concat(ByteString.FromBytes(part)));
            await data.WriteAsync(joined).AsTask().WaitAsync(Timeout);
            expected.AddRange(parts.SelectMany(part => part));
        }
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        Assert.Equal(expected.ToArray(), Payloads(frames, 0));
        Assert.All(frames, f => Assert.True(f.Payload.Length <= Settings.MaxSendFramePayload + Settings.SendFrameSlack));

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task Ending_during_a_write_that_waits_for_the_peer_must_send_the_end_after_all_of_its_data() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        var big = Enumerable.Range(0, BlockingWriteSize).Select(i => (byte)(i % 251)).ToArray();

        var writing = data.WriteAsync(big.AsMemory()).AsTask();
        data.CompleteWrites(); // while the write waits: the peer is not reading yet

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        await writing.WaitAsync(Timeout);
        Assert.Equal("first"u8.ToArray().Concat(big).ToArray(), Payloads(frames, 0));

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_write_the_peer_destroys_midway_must_send_no_frame_after_its_channel_number_is_reused() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");
        var writing = data.WriteAsync(new byte[BlockingWriteSize].AsMemory()).AsTask(); // waits: the peer is not reading

        await pair.SendAsync(new Frame(0, FrameType.ErrorFromReceiver, "gone"u8.ToArray()));
        await UntilAsync(() => !data.IsWritable, "The reset never reached the channel");
        var next = pair.Mux.OpenChannel("data:y"); // takes channel number 0 again: the stage has handled the reset
        await next.Opened.WaitAsync(Timeout);
        var sendingNext = next.Writer.WriteAsync("hello"u8.ToArray().AsMemory()).AsTask();

        var frames = await pair.FramesUntilAsync(f => f.Type == FrameType.DataFromCreator && f.Payload.Span.SequenceEqual("hello"u8), Timeout);
        await Assert.ThrowsAsync<SubstreamResetException>(() => writing.WaitAsync(Timeout));
        await sendingNext.WaitAsync(Timeout);
        var reopened = frames.FindIndex(f => f.Type == FrameType.Open && f.Payload.Span.SequenceEqual("data:y"u8));
        Assert.True(reopened > 0, "data:y was announced");
        Assert.Equal(0u, frames[reopened].Channel);
        Assert.Single(frames.Skip(reopened + 1), f => f.Channel == 0); // only data:y's own "hello" after its open
        Assert.True(frames.Take(reopened).Sum(f => f.Payload.Length) < BlockingWriteSize, "the destroyed write stopped early");

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_session_aborted_during_a_waiting_write_must_fail_that_write_and_close_the_socket() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var data = await DirectChannelAsync(pair, "data:x");

        var writing = data.WriteAsync(new byte[BlockingWriteSize].AsMemory()).AsTask();
        pair.Mux.Abort(new InvalidOperationException("test abort"));

        var error = await Assert.ThrowsAsync<MultiplexerClosedException>(() => writing.WaitAsync(Timeout));
        Assert.Equal("test abort", error.InnerException?.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Mux.Completion.WaitAsync(Timeout));
        await pair.WaitForCloseAsync(Timeout);
    });

    [Fact]
    public Task A_write_the_peer_never_takes_must_fail_the_session_after_the_write_timeout() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings, writeTimeout: TimeSpan.FromMilliseconds(300));
        var data = await DirectChannelAsync(pair, "data:x");

        var error = await Assert.ThrowsAsync<MultiplexerClosedException>(
            () => data.WriteAsync(new byte[BlockingWriteSize].AsMemory()).AsTask().WaitAsync(Timeout));

        Assert.Contains("took no data for 0.3 s", error.InnerException?.Message);
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => pair.Mux.Completion.WaitAsync(Timeout));
        Assert.Contains("not reading", failure.Message);
        await pair.WaitForCloseAsync(Timeout);
    });

    [Fact]
    public Task Chunks_kept_by_a_reader_must_stay_intact_while_the_transport_reuses_its_read_buffers() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var relay = pair.Mux.OpenChannel("relay:x");
        await relay.Opened.WaitAsync(Timeout);
        // Frames big enough to be kept as slices of their chunk (a quarter of it or more) if chunks were not lent.
        var frames = Enumerable.Range(0, 12)
            .Select(i => new Frame(0, FrameType.DataFromCreator, Encoding.ASCII.GetBytes($"{i:D4}".PadRight(20_000, (char)('a' + i)))))
            .ToArray();

        // Everything arrives (and the transport reads it, chunk after chunk) before the reader takes any of it.
        await pair.SendAsync([new Frame(0, FrameType.Open, "relay:x"u8.ToArray()), .. frames, new Frame(0, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty)]);
        await pair.NextFrameAsync(Timeout); // our end answering theirs: all of it was read

        var received = new List<byte>();
        var reader = relay.ReadChunks();
        while (await reader.ReadAsync().AsTask().WaitAsync(Timeout) is { } chunk) received.AddRange(chunk.ToArray());
        Assert.Equal(frames.SelectMany(f => f.Payload.ToArray()).ToArray(), received.ToArray());

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_leased_forward_must_hand_large_payloads_on_in_the_read_buffer_itself_held_until_released() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var relay = pair.Mux.OpenChannel("relay:x");
        await relay.Opened.WaitAsync(Timeout);
        var handed = new System.Collections.Concurrent.BlockingCollection<object>();
        var forwarding = relay.ForwardTo(handed.Add, leasedChunks: true);
        // Payloads of more than a quarter of the largest read buffer, so each is worth leasing wherever reads cut it.
        var frames = Enumerable.Range(0, 5)
            .Select(i => new Frame(0, FrameType.DataFromCreator, Encoding.ASCII.GetBytes($"{i:D4}".PadRight(70_000, (char)('a' + i)))))
            .Append(new Frame(0, FrameType.DataFromCreator, "tiny"u8.ToArray()))
            .ToArray();
        await pair.SendAsync([new Frame(0, FrameType.Open, "relay:x"u8.ToArray()), .. frames, new Frame(0, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty)]);

        // Every chunk is taken (room for more) but none let go of: the transport reads on, into other arrays.
        var chunks = new List<SubstreamReceived>();
        while (handed.TryTake(out var message, Timeout) && message is SubstreamReceived received)
        {
            chunks.Add(received);
            forwarding.Release(received.Data.Count);
        }
        Assert.Equal(frames.SelectMany(f => f.Payload.ToArray()).ToArray(), chunks.SelectMany(c => c.Data.ToArray()).ToArray());

        // The first payload is the read buffer itself, after the frames before it; the tiny last one a copy of its own.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(PxpActors.Buffers.ByteStringSegments.AsMemory(chunks[0].Data), out var first));
        Assert.True(first.Offset > 0);
        Assert.Same(chunks[0].Lease!.Array, first.Array);
        Assert.True(chunks[^1].Lease!.Array.Length < 64);
        Assert.All(chunks, chunk => Assert.False(chunk.Lease!.IsReturned));

        foreach (var chunk in chunks) chunk.ReleaseLease();
        // Once the transport has moved on too, every array is back in the pool.
        await UntilAsync(() => chunks.All(chunk => chunk.Lease!.IsReturned), "A leased read buffer never went back to the pool");
        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_cancelled_read_into_a_buffer_must_lose_nothing_that_arrives_later() => StagesStopAfter(async () =>
    {
        await using var pair = await SocketMultiplexerPair.StartAsync(Materializer, Settings);
        var channel = pair.Mux.OpenChannel("data:x");
        await channel.Opened.WaitAsync(Timeout);
        var data = channel.ReadBytes();
        var buffer = new byte[64];

        using (var cancel = new CancellationTokenSource())
        {
            var pending = data.ReadAsync(buffer, cancel.Token).AsTask();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        }
        await pair.SendAsync(new Frame(0, FrameType.Open, "data:x"u8.ToArray()), new Frame(0, FrameType.DataFromCreator, "late"u8.ToArray()));

        var read = await data.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.Equal("late", Encoding.ASCII.GetString(buffer, 0, read));

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });
}
