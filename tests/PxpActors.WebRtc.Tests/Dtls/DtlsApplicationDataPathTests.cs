using System.Buffers.Binary;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// After the handshake, application data is opened where it arrives (<see cref="DtlsApplicationDataReader"/>, with
/// keys derived as BouncyCastle derives its own) from the peer's second record on (BouncyCastle must see the first):
/// records BouncyCastle seals on one side must open on the other, replays must be dropped, and BouncyCastle must
/// still get everything else (close_notify), and nothing forged may end the connection.
/// </summary>
public sealed class DtlsApplicationDataPathTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DtlsConnection_must_open_BouncyCastle_sealed_application_data_where_it_arrives_both_ways()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 21, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers);

        const int Count = 50;
        await ExchangeAsync(client, server, Count);
        await ExchangeAsync(server, client, Count);

        Assert.Equal(Count - 1, server.RecordsOpenedOnArrival); // all but the first, which BouncyCastle opened
        Assert.Equal(Count - 1, client.RecordsOpenedOnArrival);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_drop_a_replayed_application_data_datagram()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 22, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers);
        await ExchangeAsync(client, server, 1); // opened by BouncyCastle; the next ones are opened on arrival
        byte[]? captured = null;
        bridge.LeftToRight.Filter = datagram =>
        {
            if (datagram.Span[0] == 23) captured ??= datagram.ToArray();
            return true;
        };

        var first = Guid.NewGuid().ToByteArray();
        await client.SendAsync(first);
        Assert.Equal(first, await ReceiveAsync(server));
        Assert.NotNull(captured);

        await bridge.Left.SendAsync(captured); // an attacker's copy of the same record
        var second = Guid.NewGuid().ToByteArray();
        await client.SendAsync(second);
        Assert.Equal(second, await ReceiveAsync(server)); // the replay never came up
        Assert.Equal(2, server.RecordsOpenedOnArrival);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_drop_a_replay_of_the_record_BouncyCastle_opened_before_the_switch()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 24, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers);
        byte[]? captured = null;
        bridge.LeftToRight.Filter = datagram =>
        {
            if (datagram.Span[0] == 23) captured ??= datagram.ToArray();
            return true;
        };
        await ExchangeAsync(client, server, 1); // opened by BouncyCastle, before our record path takes over
        Assert.NotNull(captured);

        await bridge.Left.SendAsync(captured); // an attacker's copy, now arriving on our record path
        var next = Guid.NewGuid().ToByteArray();
        await client.SendAsync(next);
        Assert.Equal(next, await ReceiveAsync(server)); // the replay never came up
        Assert.Equal(1, server.RecordsOpenedOnArrival);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_still_hand_close_notify_to_BouncyCastle_after_opening_data_itself()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 23, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers);
        await ExchangeAsync(client, server, 3);

        await client.DisposeAsync();

        await server.Completion.WaitAsync(Patience); // an orderly close: close_notify reached BouncyCastle
        Assert.Equal(2, server.RecordsOpenedOnArrival);
        await server.DisposeAsync();
        Assert.False(server.IsWorkerAlive);
        Assert.False(server.IsPumpRunning);
    }

    /// <summary>An epoch-1 record too short to hold even an AEAD tag: BouncyCastle calls that a decode_error.</summary>
    private static byte[] ShortEpochOneRecord(byte type, int length)
    {
        var record = new byte[13 + length];
        record[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), 0xFEFD);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), 1);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(9), 1000); // ahead of anything the peer sent
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)length);
        return record;
    }

    /// <summary>Anyone on the path can forge such a record: it must be dropped (RFC 6347 4.1.2.7), whoever reads it.</summary>
    [Theory]
    [InlineData(20, 1)] // change_cipher_spec
    [InlineData(21, 2)] // alert
    [InlineData(22, 12)] // handshake
    [InlineData(22, 23)] // one byte short of a GCM explicit nonce and tag
    [InlineData(23, 0)] // application data, while BouncyCastle still opens it
    public async Task A_short_spoofed_epoch_1_record_must_be_dropped_not_end_the_connection(byte type, int length)
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 31, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers);

        await bridge.Left.SendAsync(ShortEpochOneRecord(type, length)); // as if from the client
        await ExchangeAsync(client, server, 2); // the first opened by BouncyCastle after the spoofed record, then on arrival

        await bridge.Left.SendAsync(ShortEpochOneRecord(type, length)); // again, once off BouncyCastle's data path
        await ExchangeAsync(client, server, 1);
        await ExchangeAsync(server, client, 1);
        Assert.False(server.Completion.IsCompleted);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    private static async Task<(DtlsConnection Client, DtlsConnection Server)> HandshakeBothAsync(DatagramBridge bridge, DtlsTestPeers peers)
    {
        var client = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client());
        var server = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());
        await Task.WhenAll(client, server).WaitAsync(Patience);
        return (client.Result, server.Result);
    }

    private static async Task ExchangeAsync(DtlsConnection from, DtlsConnection to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[1 + i * 20];
            Random.Shared.NextBytes(payload);
            await from.SendAsync(payload);
            Assert.Equal(payload, await ReceiveAsync(to));
        }
    }

    private static async Task<byte[]> ReceiveAsync(DtlsConnection connection)
    {
        var buffer = new byte[2048];
        var length = await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        return buffer[..length];
    }
}
