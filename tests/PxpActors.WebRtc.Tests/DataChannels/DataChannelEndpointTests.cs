using System.Security.Cryptography;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.DataChannels;

public sealed class DataChannelEndpointTests
{
    [Fact]
    public async Task InBand_channel_must_open_on_the_peer_with_label_protocol_and_an_even_id_from_the_DTLS_client()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("chat", new DataChannelOptions { Protocol = "pxp" }, ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        Assert.Equal(0, ours.Id);
        Assert.Equal((ours.Id, "chat", "pxp"), (theirs.Id, theirs.Label, theirs.Protocol));
        Assert.Equal(DataChannelState.Open, theirs.State);
        await pair.A.Transport.WaitUntilAsync(_ => !ours.AwaitingAck, ct);

        var fromServer = await pair.B.CreateDataChannelAsync("back", cancellationToken: ct);
        Assert.Equal(1, fromServer.Id);
        Assert.Equal("back", (await pair.A.AcceptDataChannelAsync(ct)).Label);
    }

    [Fact]
    public async Task Messages_must_keep_their_kind_including_empty_ones()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("kinds", cancellationToken: ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        await ours.SendAsync("héllo", ct);
        await ours.SendAsync(new byte[] { 1, 2, 3 }, ct);
        await ours.SendAsync("", ct);
        await ours.SendAsync(ReadOnlyMemory<byte>.Empty, ct);
        var received = new List<DataChannelMessage>();
        for (var i = 0; i < 4; i++)
            received.Add((await theirs.ReceiveAsync(ct))!);
        Assert.Equal("héllo", received[0].Text);
        Assert.True(received[0].IsText);
        Assert.Equal(new byte[] { 1, 2, 3 }, received[1].Data.ToArray());
        Assert.False(received[1].IsText);
        Assert.True(received[2].IsText && received[2].Data.IsEmpty);
        Assert.True(!received[3].IsText && received[3].Data.IsEmpty);
    }

    [Fact]
    public async Task DCEP_OPEN_with_the_wrong_parity_must_be_refused_and_its_stream_reset()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        // B is the DTLS server and must open odd ids; it sends an OPEN on even stream 4 by hand.
        var open = new DataChannelOpenMessage(DataChannelType.Reliable, 256, 0, "rogue", "");
        await pair.B.Transport.SendAsync(4, PayloadProtocolIdentifier.Dcep, open.ToArray(), cancellationToken: ct);
        await pair.A.Transport.WaitUntilAsync(_ => pair.A.ProtocolViolations > 0, ct);
        Assert.Contains("parity", pair.A.LastProtocolViolation);
        Assert.Empty(pair.A.Channels);
        // The refusal resets stream 4 in both directions; afterwards the id is free again.
        await pair.A.Transport.WaitUntilAsync(a => !a.IsStreamResetPending(4), ct);
        await pair.B.Transport.WaitUntilAsync(a => !a.IsStreamResetPending(4), ct);
        // A real channel from B still works.
        var good = await pair.B.CreateDataChannelAsync("fine", cancellationToken: ct);
        Assert.Equal("fine", (await pair.A.AcceptDataChannelAsync(ct)).Label);
        Assert.Equal(1, good.Id % 2);
    }

    [Fact]
    public async Task Negotiated_channels_must_exchange_data_without_DCEP()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var options = new DataChannelOptions { Negotiated = true, Id = 6 };
        var a = await pair.A.CreateDataChannelAsync("neg", options, ct);
        var b = await pair.B.CreateDataChannelAsync("neg", options, ct);
        Assert.False(a.AwaitingAck);
        await a.SendAsync("to b", ct);
        await b.SendAsync("to a", ct);
        Assert.Equal("to b", (await b.ReceiveAsync(ct))!.Text);
        Assert.Equal("to a", (await a.ReceiveAsync(ct))!.Text);
        Assert.Equal(0, pair.A.ProtocolViolations + pair.B.ProtocolViolations);
        Assert.Single(pair.B.Channels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Close_from_either_side_must_close_both_ends_after_delivering_what_was_sent(bool openerCloses)
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("bye", cancellationToken: ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        var (closer, other) = openerCloses ? (ours, theirs) : (theirs, ours);
        await closer.SendAsync("last", ct);
        await closer.CloseAsync(ct);
        await other.Completion.WaitAsync(ct);
        Assert.Equal(DataChannelState.Closed, closer.State);
        Assert.Equal(DataChannelState.Closed, other.State); // never stuck in "closing"
        Assert.Equal("last", (await other.ReceiveAsync(ct))!.Text);
        Assert.Null(await other.ReceiveAsync(ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await closer.SendAsync("late", ct));
        Assert.Empty(pair.A.Channels);
        Assert.Empty(pair.B.Channels);
    }

    [Fact]
    public async Task Stream_id_must_not_be_reused_while_its_reset_is_pending()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var first = await pair.A.CreateDataChannelAsync("first", cancellationToken: ct);
        await pair.B.AcceptDataChannelAsync(ct);
        pair.Bridge.AutoDeliver = false; // hold the reset exchange in flight
        var closing = first.CloseAsync(ct);
        Assert.True(pair.A.Transport.IsStreamResetPending(0));
        var second = await pair.A.CreateDataChannelAsync("second", cancellationToken: ct);
        Assert.Equal(2, second.Id);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await pair.A.CreateDataChannelAsync("clash", new DataChannelOptions { Negotiated = true, Id = 0 }, ct));
        pair.Bridge.AutoDeliver = true;
        await closing;
        await pair.B.AcceptDataChannelAsync(ct);
        var third = await pair.A.CreateDataChannelAsync("third", cancellationToken: ct);
        Assert.Equal(0, third.Id); // free again once both directions were reset
        Assert.Equal("third", (await pair.B.AcceptDataChannelAsync(ct)).Label);
    }

    [Fact]
    public async Task Unordered_channel_must_send_ordered_until_the_DCEP_ACK_arrives_then_unordered()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var flags = new System.Collections.Concurrent.ConcurrentQueue<(byte Marker, bool Unordered)>();
        pair.Bridge.LeftToRight.Filter = datagram =>
        {
            foreach (var data in SctpPacket.Parse(datagram.Span).Chunks.OfType<PxpActors.WebRtc.Sctp.Chunks.DataChunk>())
                if (data.PayloadProtocolId == PayloadProtocolIdentifier.Binary)
                    flags.Enqueue((data.UserData.Span[0], data.Unordered));
            return true;
        };
        var ackHeld = true;
        pair.Bridge.RightToLeft.Filter = datagram => !ackHeld || !SctpPacket.Parse(datagram.Span).Chunks
            .OfType<PxpActors.WebRtc.Sctp.Chunks.DataChunk>().Any(d => d.PayloadProtocolId == PayloadProtocolIdentifier.Dcep);
        var ours = await pair.A.CreateDataChannelAsync("loose", new DataChannelOptions { Ordered = false }, ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        await ours.SendAsync(new byte[] { 1 }, ct);
        Assert.Equal(1, (await theirs.ReceiveAsync(ct))!.Data.Span[0]);
        Assert.True(ours.AwaitingAck);
        ackHeld = false;
        await pair.A.Transport.WaitUntilAsync(_ => !ours.AwaitingAck, ct); // B's ACK is retransmitted and now passes
        await ours.SendAsync(new byte[] { 2 }, ct);
        Assert.Equal(2, (await theirs.ReceiveAsync(ct))!.Data.Span[0]);
        Assert.Contains((byte)1, flags.Where(f => !f.Unordered).Select(f => f.Marker));
        Assert.Contains((byte)2, flags.Where(f => f.Unordered).Select(f => f.Marker));
    }

    [Fact]
    public async Task Reliability_options_must_travel_in_the_OPEN_and_apply_on_the_peer()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        await pair.A.CreateDataChannelAsync("rexmit", new DataChannelOptions { Ordered = false, MaxRetransmits = 3 }, ct);
        await pair.A.CreateDataChannelAsync("timed", new DataChannelOptions { MaxPacketLifeTime = TimeSpan.FromMilliseconds(1500) }, ct);
        var rexmit = await pair.B.AcceptDataChannelAsync(ct);
        var timed = await pair.B.AcceptDataChannelAsync(ct);
        Assert.Equal((false, (int?)3, (TimeSpan?)null), (rexmit.Ordered, rexmit.MaxRetransmits, rexmit.MaxPacketLifeTime));
        Assert.Equal((true, (int?)null, (TimeSpan?)TimeSpan.FromMilliseconds(1500)), (timed.Ordered, timed.MaxRetransmits, timed.MaxPacketLifeTime));
    }

    [Fact]
    public async Task Large_messages_must_cross_intact_both_ways()
    {
        await using var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("big", cancellationToken: ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        foreach (var size in new[] { 1, 64 * 1024, 256 * 1024 })
        {
            var data = RandomNumberGenerator.GetBytes(size);
            await ours.SendAsync(data, ct);
            Assert.Equal(data, (await theirs.ReceiveAsync(ct))!.Data.ToArray());
            await theirs.SendAsync(data, ct);
            Assert.Equal(data, (await ours.ReceiveAsync(ct))!.Data.ToArray());
        }
    }

    [Fact]
    public async Task Stream_view_must_carry_megabytes_through_loss_with_bufferedAmount_backpressure()
    {
        await using var pair = await DataChannelPair.ConnectAsync(seed: 5, loss: 0.1);
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("bulk", cancellationToken: ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        var data = new byte[2 * 1024 * 1024];
        new Random(9).NextBytes(data);
        ours.BufferedAmountLowThreshold = 256 * 1024;
        var reader = Task.Run(async () =>
        {
            await using var stream = theirs.AsStream();
            var received = new MemoryStream();
            var buffer = new byte[70_000];
            while (received.Length < data.Length)
            {
                var n = await stream.ReadAsync(buffer, ct);
                Assert.NotEqual(0, n);
                received.Write(buffer, 0, n);
            }
            return received.ToArray();
        }, ct);
        var writer = ours.AsStream();
        var maxBuffered = 0L;
        for (var offset = 0; offset < data.Length; offset += 100_000)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), ct);
            maxBuffered = Math.Max(maxBuffered, ours.BufferedAmount);
            if (ours.BufferedAmount > 1024 * 1024)
                await ours.WaitForBufferedAmountLowAsync(ct);
        }
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await reader));
        Assert.True(maxBuffered > 0);
        await ours.WaitForBufferedAmountLowAsync(ct);
        ours.BufferedAmountLowThreshold = 0;
        await ours.WaitForBufferedAmountLowAsync(ct);
        Assert.Equal(0, ours.BufferedAmount);
    }

    [Fact]
    public async Task Unread_channel_must_push_back_into_the_SCTP_window_and_not_block_disposal()
    {
        await using var pair = await DataChannelPair.ConnectAsync(options: new DataChannelEndpointOptions { ReceiveQueueCapacity = 2 });
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("flood", cancellationToken: ct);
        await pair.B.AcceptDataChannelAsync(ct); // accepted, never read
        for (var i = 0; i < 20; i++)
            await ours.SendAsync(new byte[10_000], ct);
        // Three messages sit in the channel (two queued, one being handed over); the rest stay in SCTP's window.
        await pair.B.Transport.WaitUntilAsync(a => a.OurReceiveWindow <= a.Options.ReceiveBufferSize - 17 * 10_000, ct);
        await pair.B.DisposeAsync().AsTask().WaitAsync(ct);
        Assert.True(pair.B.Transport.LoopsStopped);
    }

    [Fact]
    public async Task Shutdown_must_close_every_channel_and_leave_no_loop_or_connection_behind()
    {
        var pair = await DataChannelPair.ConnectAsync();
        var ct = DataChannelPair.Deadline();
        var ours = await pair.A.CreateDataChannelAsync("x", cancellationToken: ct);
        var theirs = await pair.B.AcceptDataChannelAsync(ct);
        await pair.A.ShutdownAsync(ct);
        await pair.B.Completion.WaitAsync(ct);
        Assert.Equal(DataChannelState.Closed, ours.State);
        Assert.Equal(DataChannelState.Closed, theirs.State);
        await Assert.ThrowsAsync<SctpAssociationClosedException>(async () => await pair.B.AcceptDataChannelAsync(ct));
        await pair.DisposeAsync();
        Assert.True(pair.A.Transport.LoopsStopped && pair.B.Transport.LoopsStopped);
        Assert.True(pair.Bridge.Left.IsClosed && pair.Bridge.Right.IsClosed);
    }
}
