using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class StreamResetTests
{
    private static IEnumerable<OutgoingSsnResetRequestParameter> ResetRequests(IEnumerable<byte[]> packets) =>
        packets.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<ReConfigChunk>()).SelectMany(c => c.Parameters.OfType<OutgoingSsnResetRequestParameter>());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stream_reset_must_close_both_directions_whichever_side_starts_it(bool aStarts)
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var (starter, other) = aStarts ? (net.A, net.B) : (net.B, net.A);
        var (starterEvents, otherEvents) = aStarts ? (net.EventsA, net.EventsB) : (net.EventsB, net.EventsA);
        Assert.True(starter.TrySend(1, 51, "last words"u8.ToArray()));
        starter.ResetStreams([1]);
        net.RunUntil(() => starterEvents.OfType<SctpEvent.StreamsClosed>().Any() && otherEvents.OfType<SctpEvent.StreamsClosed>().Any(), TimeSpan.FromSeconds(10));

        // The data sent before the reset arrives before the reset is reported.
        var otherLog = otherEvents.SkipWhile(e => e is not SctpEvent.MessageReceived).ToList();
        Assert.IsType<SctpEvent.MessageReceived>(otherLog[0]);
        Assert.Contains(otherLog, e => e is SctpEvent.IncomingStreamsReset { Streams: [1] });
        // The other side answered with its own reset (the trap that leaves browser channels "closing").
        Assert.Contains(otherEvents, e => e is SctpEvent.OutgoingStreamsReset { Streams: [1], Succeeded: true });
        Assert.Contains(starterEvents, e => e is SctpEvent.IncomingStreamsReset { Streams: [1] });
        Assert.Single(ResetRequests(aStarts ? net.SentBToA : net.SentAToB), r => r.Streams.SequenceEqual(new ushort[] { 1 }));
        Assert.False(net.A.IsStreamResetPending(1));
        Assert.False(net.B.IsStreamResetPending(1));

        // The id is free again and its sequence numbers restart at 0 on both sides.
        Assert.True(net.A.TrySend(1, 51, "again"u8.ToArray()));
        Assert.True(net.B.TrySend(1, 51, "again"u8.ToArray()));
        net.RunUntil(() => net.MessagesAtB.Count(m => m.Data.Length == 5) == 1 && net.MessagesAtA.Count(m => m.Data.Length == 5) == 1, TimeSpan.FromSeconds(10));
        Assert.All(net.SentAToB.Concat(net.SentBToA).SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()).Where(d => d.UserData.Length == 5),
            d => Assert.Equal(0, d.StreamSequenceNumber));
    }

    [Fact]
    public void Stream_id_must_not_be_reused_while_its_reset_is_pending_on_either_side()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        net.FilterBToA = _ => false; // hold the answer back so the reset stays pending
        net.A.ResetStreams([5]);
        net.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.True(net.A.IsStreamResetPending(5));
        Assert.True(net.B.IsStreamResetPending(5));
        Assert.Contains("being reset", Assert.Throws<InvalidOperationException>(() => net.A.TrySend(5, 51, new byte[] { 1 })).Message);
        Assert.Contains("being reset", Assert.Throws<InvalidOperationException>(() => net.B.TrySend(5, 51, new byte[] { 1 })).Message);
        Assert.True(net.A.TrySend(6, 51, new byte[] { 1 })); // other ids are unaffected

        net.FilterBToA = null;
        net.RunUntil(() => !net.A.IsStreamResetPending(5) && !net.B.IsStreamResetPending(5), TimeSpan.FromSeconds(30));
        Assert.True(net.A.TrySend(5, 51, new byte[] { 2 }));
    }

    [Fact]
    public void Reset_request_arriving_before_its_data_must_be_deferred_until_the_data_is_delivered()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var firstDataDropped = false;
        net.FilterAToB = packet =>
        {
            if (firstDataDropped || !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any())
                return true;
            firstDataDropped = true;
            return false;
        };
        Assert.True(net.A.TrySend(2, 51, Enumerable.Repeat((byte)7, 1100).ToArray()));
        Assert.True(net.A.TrySend(2, 51, Enumerable.Repeat((byte)8, 1100).ToArray()));
        net.A.ResetStreams([2]);
        net.RunUntil(() => net.EventsB.OfType<SctpEvent.StreamsClosed>().Any(), TimeSpan.FromSeconds(30));
        var responses = net.SentBToA.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<ReConfigChunk>()).SelectMany(c => c.Parameters.OfType<ReconfigurationResponseParameter>());
        Assert.Contains(responses, r => r.Result == ReconfigurationResult.InProgress);
        var log = net.EventsB.Where(e => e is SctpEvent.MessageReceived or SctpEvent.IncomingStreamsReset).ToList();
        Assert.Equal([typeof(SctpEvent.MessageReceived), typeof(SctpEvent.MessageReceived), typeof(SctpEvent.IncomingStreamsReset)], log.Select(e => e.GetType()));
        Assert.Equal(new byte[] { 7, 8 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
    }

    [Fact]
    public void Lost_reset_request_must_be_retransmitted()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var dropped = 0;
        net.FilterAToB = packet => !SctpPacket.Parse(packet).Chunks.OfType<ReConfigChunk>().Any() || ++dropped > 2;
        net.A.ResetStreams([3]);
        net.RunUntil(() => net.EventsA.OfType<SctpEvent.StreamsClosed>().Any(), TimeSpan.FromSeconds(30));
        var requests = ResetRequests(net.SentAToB).ToList();
        Assert.True(requests.Count >= 3);
        Assert.Single(requests.Select(r => r.RequestSequenceNumber).Distinct());
    }

    [Fact]
    public void Several_streams_reset_together_must_all_close()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        net.A.ResetStreams([1, 3, 5]);
        net.B.ResetStreams([2]);
        net.RunUntil(() => net.EventsA.OfType<SctpEvent.StreamsClosed>().SelectMany(e => e.Streams).Count() == 4
            && net.EventsB.OfType<SctpEvent.StreamsClosed>().SelectMany(e => e.Streams).Count() == 4, TimeSpan.FromSeconds(30));
        Assert.Equal(new ushort[] { 1, 2, 3, 5 }, net.EventsA.OfType<SctpEvent.StreamsClosed>().SelectMany(e => e.Streams).Order());
    }
}
