using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>Reassembly in <see cref="DataReceiver"/>, fed DATA chunks directly in chosen orders.</summary>
public sealed class DataReceiverTests
{
    private const uint FirstTsn = 1000;

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3, 4 })] // in order: only the ending completes it
    [InlineData(new[] { 4, 3, 2, 1, 0 })] // reversed: only the beginning completes it
    [InlineData(new[] { 0, 4, 1, 3, 2 })] // the middle fragment last
    [InlineData(new[] { 3, 0, 4, 2, 1 })]
    public void Fragments_in_any_order_must_deliver_their_message_once_when_the_last_missing_one_arrives(int[] order)
    {
        var delivered = new List<SctpEvent.MessageReceived>();
        var receiver = new DataReceiver(FirstTsn, bufferSize: 1 << 20, maxMessageSize: 1 << 16, delivered.Add);
        var fragments = Fragments(count: 5, size: 100, ssn: 0);

        for (var i = 0; i < order.Length; i++)
        {
            Assert.Empty(delivered); // nothing before the last fragment is in
            Assert.Equal(DataReceiveResult.Accepted, receiver.OnData(fragments[order[i]], heldElsewhere: 0, discardPayload: false));
        }

        var message = Assert.Single(delivered);
        Assert.Equal(fragments.SelectMany(f => f.UserData.ToArray()).ToArray(), message.Data.ToArray());
        Assert.Equal(0, receiver.BytesHeld);
        Assert.Equal(FirstTsn + 4, receiver.CumulativeTsn);
    }

    [Fact]
    public void Fragments_of_two_messages_must_not_be_joined_across_their_boundary()
    {
        var delivered = new List<SctpEvent.MessageReceived>();
        var receiver = new DataReceiver(FirstTsn, bufferSize: 1 << 20, maxMessageSize: 1 << 16, delivered.Add);
        var first = Fragments(count: 3, size: 10, ssn: 0);
        var second = Fragments(count: 3, size: 20, ssn: 1, firstTsn: FirstTsn + 3);

        // The second message's beginning and middle, then the first's ending, beginning and middle, then the second's ending.
        foreach (var chunk in new[] { second[0], second[1], first[2], first[0], first[1], second[2] })
            receiver.OnData(chunk, heldElsewhere: 0, discardPayload: false);

        Assert.Equal([30, 60], delivered.Select(m => m.Data.Length));
        Assert.Equal(0, receiver.BytesHeld);
    }

    private static DataChunk[] Fragments(int count, int size, ushort ssn, uint firstTsn = FirstTsn) =>
        Enumerable.Range(0, count)
            .Select(i => new DataChunk(firstTsn + (uint)i, StreamId: 1, ssn, PayloadProtocolId: 53,
                Enumerable.Range(0, size).Select(b => (byte)(i * 31 + b + ssn)).ToArray(), Unordered: false,
                Beginning: i == 0, Ending: i == count - 1))
            .ToArray();
}
