using System.Text;
using PxpActors.Multiplexing;
using PxpActors.Protocol.Framing;
using PxpActors.Tests.Streams;
using PxpActors.Tests.Support;
using Xunit.Abstractions;

namespace PxpActors.Tests.SocketSessions;

/// <summary>
/// The System.IO.Pipelines carrier (Carriers/Pipes, the bench's <c>PXP_TCP_CARRIER=pipe</c>) under the stream carrier's
/// socket tests: a multiplexer joined to it on a real loopback socket, a bare socket as the peer.
/// </summary>
public sealed class PipeCarrierSpec(ITestOutputHelper output) : StreamSpec(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly MultiplexerSettings Settings = new(MaxSendFramePayload: 16 * 1024);

    // More than the output pipe and loopback's socket buffers hold: a peer that does not read blocks this write.
    private const int BlockingWriteSize = 32 * 1024 * 1024;

    private Task<SocketMultiplexerPair> StartAsync(TimeSpan? writeTimeout = null) =>
        SocketMultiplexerPair.StartOverPipeAsync(Materializer, Settings, writeTimeout);

    private static async Task<SubstreamChannel> DirectChannelAsync(SocketMultiplexerPair pair, string name)
    {
        var channel = pair.Mux.OpenChannel(name);
        await channel.WriteAsync("first"u8.ToArray().AsMemory()).AsTask().WaitAsync(Timeout);
        await Condition.UntilAsync(() => channel.SendsDirectly, "The channel never started sending directly", Timeout);
        return channel;
    }

    private static byte[] Payloads(IEnumerable<Frame> frames, uint channel) =>
        frames.Where(f => f.Channel == channel && f.Type == FrameType.DataFromCreator).SelectMany(f => f.Payload.ToArray()).ToArray();

    private static Frame Data(int i, int size) =>
        new(0, FrameType.DataFromCreator, Encoding.ASCII.GetBytes($"{i:D4}".PadRight(size, (char)('a' + i))));

    [Fact]
    public Task Writes_must_go_out_in_order_from_a_buffer_the_writer_may_reuse_at_once_mostly_by_the_direct_route() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var data = await DirectChannelAsync(pair, "data:x");
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
        }
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        Assert.Equal(expected.ToArray(), Payloads(frames, 0));
        Assert.All(frames, f => Assert.True(f.Payload.Length <= Settings.MaxSendFramePayload + Settings.SendFrameSlack));
        var dataFrames = frames.Count(f => f is { Channel: 0, Type: FrameType.DataFromCreator });
        Assert.True(pair.Sender.ElementsSent < dataFrames / 2,
            $"the stage sent {pair.Sender.ElementsSent} elements for {dataFrames} data frames: most should have gone straight out");

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_direct_write_of_many_frames_must_go_out_whole_and_in_order() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var data = await DirectChannelAsync(pair, "data:x");
        var payload = new byte[64 * 16 * 1024 + 1];
        new Random(3).NextBytes(payload);

        await data.WriteAsync(payload.AsMemory()).AsTask().WaitAsync(Timeout);
        data.CompleteWrites();

        var frames = await pair.FramesUntilAsync(f => f is { Channel: 0, Type: FrameType.EndFromCreator }, Timeout);
        var dataFrames = frames.Where(f => f is { Channel: 0, Type: FrameType.DataFromCreator }).Skip(1).ToList(); // after "first"
        Assert.Equal(64, dataFrames.Count);
        Assert.Equal(payload, dataFrames.SelectMany(f => f.Payload.ToArray()).ToArray());

        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task Ending_during_a_write_that_waits_for_the_peer_must_send_the_end_after_all_of_its_data() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
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
    public Task Closing_the_session_must_send_what_was_written_then_close_the_socket() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var data = await DirectChannelAsync(pair, "data:x");
        var payload = new byte[300_000];
        new Random(9).NextBytes(payload);
        await data.WriteAsync(payload.AsMemory()).AsTask().WaitAsync(Timeout);

        pair.Mux.Close();

        // Every frame flushed into the pipe goes out before the socket's end of stream.
        var frames = new List<Frame>();
        try
        {
            while (true) frames.Add(await pair.NextFrameAsync(Timeout));
        }
        catch (EndOfStreamException)
        {
        }
        Assert.Equal("first"u8.ToArray().Concat(payload).ToArray(), Payloads(frames, 0));
        pair.ClosePeerWrites(); // our end: the session's reads end, and it stops
        await pair.Mux.Completion.WaitAsync(Timeout);
        await pair.OursDisposed.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_session_aborted_during_a_waiting_write_must_fail_that_write_and_close_the_socket() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var data = await DirectChannelAsync(pair, "data:x");

        var writing = data.WriteAsync(new byte[BlockingWriteSize].AsMemory()).AsTask();
        pair.Mux.Abort(new InvalidOperationException("test abort"));

        var error = await Assert.ThrowsAsync<MultiplexerClosedException>(() => writing.WaitAsync(Timeout));
        Assert.Equal("test abort", error.InnerException?.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Mux.Completion.WaitAsync(Timeout));
        await pair.WaitForCloseAsync(Timeout);
        await pair.OursDisposed.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_write_the_peer_never_takes_must_fail_the_session_after_the_write_timeout() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync(writeTimeout: TimeSpan.FromMilliseconds(300));
        var data = await DirectChannelAsync(pair, "data:x");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => data.WriteAsync(new byte[BlockingWriteSize].AsMemory()).AsTask().WaitAsync(Timeout));

        Assert.Contains("took no data for 0.3 s", error.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => pair.Mux.Completion.WaitAsync(Timeout));
        await pair.WaitForCloseAsync(Timeout);
        await pair.OursDisposed.WaitAsync(Timeout);
    });

    [Fact]
    public Task Chunks_kept_by_a_reader_must_stay_intact_while_the_pipe_reuses_its_segments() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var relay = pair.Mux.OpenChannel("relay:x");
        await relay.Opened.WaitAsync(Timeout);
        var frames = Enumerable.Range(0, 12).Select(i => Data(i, 20_000)).ToArray();

        // Everything arrives (and the carrier reads it, segment after segment) before the reader takes any of it.
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
    public Task A_leased_forward_must_hand_large_payloads_on_in_the_pipe_block_itself_held_past_the_pipe_until_released() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var relay = pair.Mux.OpenChannel("relay:x");
        await relay.Opened.WaitAsync(Timeout);
        var handed = new System.Collections.Concurrent.BlockingCollection<object>();
        var forwarding = relay.ForwardTo(handed.Add, leasedChunks: true);
        var frames = Enumerable.Range(0, 5).Select(i => Data(i, 70_000)).Append(new Frame(0, FrameType.DataFromCreator, "tiny"u8.ToArray())).ToArray();
        await pair.SendAsync([new Frame(0, FrameType.Open, "relay:x"u8.ToArray()), .. frames, new Frame(0, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty)]);

        // Every chunk is taken (room for more) but none let go of, while the carrier reads on and the pipe moves past them.
        var chunks = new List<SubstreamReceived>();
        while (handed.TryTake(out var message, Timeout) && message is SubstreamReceived received)
        {
            chunks.Add(received);
            forwarding.Release(received.Data.Count);
        }
        Assert.Equal(frames.SelectMany(f => f.Payload.ToArray()).ToArray(), chunks.SelectMany(c => c.Data.ToArray()).ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(PxpActors.Buffers.ByteStringSegments.AsMemory(chunks[0].Data), out var first));
        Assert.Same(chunks[0].Lease!.Array, first.Array); // the pipe's block itself, not a copy
        Assert.True(chunks[^1].Lease!.Array.Length < 64); // the tiny one: a copy of its own
        Assert.All(chunks, chunk => Assert.False(chunk.Lease!.IsReturned));

        foreach (var chunk in chunks) chunk.ReleaseLease();
        // Once the session is over, the pipe holds no block either (a running one may keep the block it receives into).
        pair.Mux.Close();
        await pair.Mux.Completion.WaitAsync(Timeout);
        await pair.DisposeAsync();
        await pair.OursDisposed.WaitAsync(Timeout);
        await Condition.UntilAsync(() => chunks.All(chunk => chunk.Lease!.IsReturned), "A pipe block never went back to the pool", Timeout);
    });

    [Fact]
    public Task Bad_input_must_close_that_connection_only() => StagesStopAfter(async () =>
    {
        await using var bad = await StartAsync();
        await using var good = await StartAsync();
        var data = good.Mux.OpenChannel("data:x");
        await data.Opened.WaitAsync(Timeout);

        // A frame type the protocol does not have (7), then more that must never be read.
        await bad.SendRawAsync([0x07, 0x02, 0x01, 0x02, .. new byte[1000]]);

        await Assert.ThrowsAnyAsync<Exception>(() => bad.Mux.Completion.WaitAsync(Timeout));
        await bad.WaitForCloseAsync(Timeout);
        await bad.OursDisposed.WaitAsync(Timeout);

        await good.SendAsync(new Frame(0, FrameType.Open, "data:x"u8.ToArray()), new Frame(0, FrameType.DataFromCreator, "still here"u8.ToArray()));
        var buffer = new byte[64];
        var read = await data.ReadBytes().ReadAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.Equal("still here", Encoding.ASCII.GetString(buffer, 0, read));
        good.Mux.Close();
        await good.Mux.Completion.WaitAsync(Timeout);
    });

    [Fact]
    public Task A_peer_that_goes_away_must_end_the_session_and_close_its_socket() => StagesStopAfter(async () =>
    {
        await using var pair = await StartAsync();
        var data = pair.Mux.OpenChannel("data:x");
        await data.Opened.WaitAsync(Timeout);
        await pair.SendAsync(new Frame(0, FrameType.Open, "data:x"u8.ToArray()), new Frame(0, FrameType.DataFromCreator, "bye"u8.ToArray()));

        await pair.DisposeAsync(); // the peer's socket closes without an end frame

        await pair.OursDisposed.WaitAsync(Timeout);
        await pair.Mux.Completion.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Timeout); // ended, however
    });
}
