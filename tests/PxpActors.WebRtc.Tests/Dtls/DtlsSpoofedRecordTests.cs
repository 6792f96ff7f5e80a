using System.Buffers.Binary;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// Records anyone on the path can forge must be dropped (RFC 6347 4.1.2.7), whatever BouncyCastle's record layer
/// thinks of them: a spoofed datagram must never end the connection, nor come up as data.
/// </summary>
public sealed class DtlsSpoofedRecordTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

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
        await ExchangeAsync(client, server); // BouncyCastle opens this one, after the spoofed record
        await ExchangeAsync(client, server); // and this one is opened on arrival

        await bridge.Left.SendAsync(ShortEpochOneRecord(type, length)); // again, once off BouncyCastle's data path
        await ExchangeAsync(client, server);
        await ExchangeAsync(server, client);
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

    private static async Task ExchangeAsync(DtlsConnection from, DtlsConnection to)
    {
        var payload = Guid.NewGuid().ToByteArray();
        await from.SendAsync(payload);
        var buffer = new byte[2048];
        var length = await to.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal(payload, buffer[..length]);
    }
}
