using System.Buffers.Binary;
using System.Security.Cryptography;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// Opening application-data records where they arrive: records sealed here with BouncyCastle's own GCM in the
/// RFC 5288 / RFC 6347 layout, read back by <see cref="DtlsApplicationDataReader"/>.
/// </summary>
public sealed class DtlsApplicationDataReaderTests
{
    private const byte ApplicationData = DtlsRecordSealer.ApplicationData;
    private const byte Alert = 21;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(16);
    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(4);

    private static DtlsApplicationDataReader Reader() =>
        new(new DtlsRecordKeys(Key.ToArray(), Salt.ToArray()), epoch: 1); // copies: the reader zeroes what it is given

    private static byte[] Seal(byte[] plaintext, long sequence, ushort epoch = 1, byte type = ApplicationData, byte[]? key = null) =>
        DtlsRecordSealer.Seal(key ?? Key, Salt, plaintext, sequence, epoch, type);

    private static List<byte[]> Opened(DtlsApplicationDataReader reader, byte[] datagram, out byte[]? rest)
    {
        var copy = datagram.ToArray();
        var ranges = new List<Range>();
        rest = reader.Read(copy, ranges);
        return ranges.Select(r => copy[r]).ToList();
    }

    [Fact]
    public void Reader_must_zero_the_keys_it_was_given_once_it_holds_them()
    {
        var keys = new DtlsRecordKeys(Key.ToArray(), Salt.ToArray());
        using var reader = new DtlsApplicationDataReader(keys, epoch: 1);

        Assert.All(keys.ReadKey, b => Assert.Equal(0, b));
        Assert.All(keys.ReadSalt, b => Assert.Equal(0, b));
        Assert.Equal([[1, 2, 3]], Opened(reader, Seal([1, 2, 3], sequence: 1), out _)); // it still opens records
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1163)]
    public void Reader_must_open_a_record_sealed_by_BouncyCastle(int length)
    {
        using var reader = Reader();
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var opened = Opened(reader, Seal(plaintext, sequence: 5), out var rest);

        Assert.Equal(plaintext, Assert.Single(opened));
        Assert.Null(rest);
        Assert.Equal(1, reader.OpenedCount);
        Assert.Equal(0, reader.DroppedCount);
    }

    [Fact]
    public void Reader_must_open_every_application_record_of_its_epoch_and_hand_back_the_others_in_order()
    {
        using var reader = Reader();
        var first = RandomNumberGenerator.GetBytes(100);
        var second = RandomNumberGenerator.GetBytes(200);
        var alert = Seal([1, 0], sequence: 7, type: Alert);
        var otherEpoch = Seal(RandomNumberGenerator.GetBytes(10), sequence: 0, epoch: 2);

        var opened = Opened(reader, [.. Seal(first, 6), .. alert, .. Seal(second, 8), .. otherEpoch], out var rest);

        Assert.Equal([first, second], opened);
        Assert.NotNull(rest);
        Assert.Equal([.. alert, .. otherEpoch], rest);
    }

    [Fact]
    public void Reader_must_drop_a_replayed_record()
    {
        using var reader = Reader();
        var datagram = Seal(RandomNumberGenerator.GetBytes(50), sequence: 3);
        Assert.Single(Opened(reader, datagram, out _));

        Assert.Empty(Opened(reader, datagram, out var rest));
        Assert.Null(rest);
        Assert.Equal(1, reader.DroppedCount);
        Assert.Single(Opened(reader, Seal(RandomNumberGenerator.GetBytes(50), sequence: 2), out _)); // older, unseen: fine
    }

    [Fact]
    public void Reader_must_drop_a_tampered_record_without_moving_its_window()
    {
        using var reader = Reader();
        var plaintext = RandomNumberGenerator.GetBytes(64);
        var authentic = Seal(plaintext, sequence: 9);
        var tampered = authentic.ToArray();
        tampered[30] ^= 1;
        var wrongKey = Seal(plaintext, sequence: 9, key: RandomNumberGenerator.GetBytes(16));

        Assert.Empty(Opened(reader, tampered, out _));
        Assert.Empty(Opened(reader, wrongKey, out _));
        Assert.Equal(plaintext, Assert.Single(Opened(reader, authentic, out _)));
        Assert.Equal(2, reader.DroppedCount);
    }

    [Fact]
    public void Reader_must_drop_a_truncated_or_undersized_record_and_keep_what_came_before()
    {
        using var reader = Reader();
        var whole = RandomNumberGenerator.GetBytes(20);
        var cut = Seal(RandomNumberGenerator.GetBytes(40), sequence: 2);
        var undersized = new byte[] { ApplicationData, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 3, 0, 4, 1, 2, 3, 4 };

        var opened = Opened(reader, [.. Seal(whole, 1), .. undersized, .. cut[..^5]], out var rest);

        Assert.Equal(whole, Assert.Single(opened));
        Assert.Null(rest);
        Assert.Equal(2, reader.DroppedCount);
    }
}
