using Xunit;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class ChunkTests
{
    private static readonly Parameter[] InitParameters =
        [new ForwardTsnSupportedParameter(), new SupportedExtensionsParameter([ChunkType.ReConfig, ChunkType.ForwardTsn])];

    public static TheoryData<Chunk> AllChunks() => new()
    {
        new DataChunk(0xFFFFFFFE, 7, 65535, 51, new byte[] { 1, 2, 3 }, Unordered: true, Beginning: true, Ending: false, ImmediateAck: true),
        new DataChunk(1, 0, 0, 53, new byte[1200], Unordered: false, Beginning: true, Ending: true),
        new InitChunk(0x12345678, 131072, 65535, 65535, 42, InitParameters),
        new InitAckChunk(0x9ABCDEF0, 1048576, 1024, 2048, 7, [new StateCookieParameter(new byte[] { 9, 8, 7, 6, 5 }), .. InitParameters]),
        new SackChunk(100, 65536, [new GapAckBlock(2, 3), new GapAckBlock(5, 9)], [99, 100]),
        new SackChunk(5, 0, [], []),
        new HeartbeatChunk(new HeartbeatInfoParameter(new byte[] { 1, 2, 3, 4, 5, 6 })),
        new HeartbeatAckChunk(new HeartbeatInfoParameter(new byte[] { 1, 2, 3 })),
        new AbortChunk(true, [ErrorCause.WithText(ErrorCauseCode.UserInitiatedAbort, "bye"), new ErrorCause(ErrorCauseCode.ProtocolViolation, new byte[] { 1 })]),
        new AbortChunk(false, []),
        new ShutdownChunk(0xDEADBEEF),
        new ShutdownAckChunk(),
        new ErrorChunk([new ErrorCause(ErrorCauseCode.InvalidStreamIdentifier, new byte[] { 0, 5, 0, 0 })]),
        new CookieEchoChunk(new byte[] { 1, 2, 3, 4, 5, 6, 7 }),
        new CookieAckChunk(),
        new ShutdownCompleteChunk(TagReflected: true),
        new ForwardTsnChunk(1000, [new ForwardTsnStream(1, 5), new ForwardTsnStream(3, 65535)]),
        new ReConfigChunk([new OutgoingSsnResetRequestParameter(10, 20, 30, [1, 3, 5])]),
        new ReConfigChunk([new ReconfigurationResponseParameter(10, ReconfigurationResult.SuccessPerformed), new OutgoingSsnResetRequestParameter(11, 9, 29, [2])]),
        new UnknownChunk((ChunkType)0xC1, 0x55, new byte[] { 1, 2, 3 }),
    };

    [Theory]
    [MemberData(nameof(AllChunks))]
    public void Chunk_must_round_trip_through_bytes(Chunk chunk)
    {
        var bytes = chunk.ToArray();
        Assert.Equal(0, bytes.Length % 4);
        var parsed = Chunk.Parse(bytes);
        Assert.Equal(chunk.GetType(), parsed.GetType());
        Assert.Equal(chunk.Type, parsed.Type);
        Assert.Equal(chunk.Flags, parsed.Flags);
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void DataChunk_must_parse_every_field_and_flag()
    {
        var bytes = new DataChunk(0x01020304, 0x0506, 0x0708, 0x090A0B0C, new byte[] { 0xAA, 0xBB }, true, false, true, true).ToArray();
        Assert.Equal(new byte[] { 0, 0x0D, 0, 18, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xAA, 0xBB, 0, 0 }, bytes);
        var data = Assert.IsType<DataChunk>(Chunk.Parse(bytes));
        Assert.Equal((0x01020304u, (ushort)0x0506, (ushort)0x0708, 0x090A0B0Cu), (data.Tsn, data.StreamId, data.StreamSequenceNumber, data.PayloadProtocolId));
        Assert.True(data.Unordered && !data.Beginning && data.Ending && data.ImmediateAck);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, data.UserData.ToArray());
    }

    [Fact]
    public void SackChunk_must_parse_gap_blocks_and_duplicates()
    {
        var sack = Assert.IsType<SackChunk>(Chunk.Parse(new SackChunk(100, 5000, [new GapAckBlock(2, 4)], [77]).ToArray()));
        Assert.Equal(100u, sack.CumulativeTsnAck);
        Assert.Equal(5000u, sack.AdvertisedReceiverWindowCredit);
        Assert.Equal([new GapAckBlock(2, 4)], sack.GapAckBlocks);
        Assert.Equal([77u], sack.DuplicateTsns);
    }

    [Fact]
    public void InitChunk_length_must_exclude_the_last_parameters_padding()
    {
        // Supported Extensions with 2 types is 6 bytes long; the chunk length excludes its 2 padding bytes (RFC 9260 3.2).
        var init = new InitChunk(1, 2, 3, 4, 5, [new SupportedExtensionsParameter([ChunkType.ReConfig, ChunkType.ForwardTsn])]);
        var bytes = init.ToArray();
        Assert.Equal(4 + 16 + 6, (bytes[2] << 8) | bytes[3]);
        Assert.Equal(28, bytes.Length);
        var parsed = Assert.IsType<InitChunk>(Chunk.Parse(bytes));
        Assert.True(Assert.IsType<SupportedExtensionsParameter>(Assert.Single(parsed.Parameters)).Supports(ChunkType.ForwardTsn));
    }

    public static TheoryData<string, byte[], string> MalformedChunks() => new()
    {
        { "truncated header", new byte[] { 0, 0, 0 }, "Truncated chunk header" },
        { "length past end", new byte[] { 11, 0, 0, 8 }, "bad length" },
        { "length below header", new byte[] { 11, 0, 0, 2 }, "bad length" },
        { "DATA without user data", new byte[] { 0, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, "no user data" },
        { "DATA too short", new byte[] { 0, 3, 0, 8, 0, 0, 0, 1 }, "too short" },
        { "INIT with zero tag", InitBytes(tag: 0, streams: 1), "zero Initiate Tag" },
        { "INIT with zero streams", InitBytes(tag: 1, streams: 0), "zero streams" },
        { "INIT ACK without cookie", InitAckWithoutCookie(), "State Cookie" },
        { "SACK count mismatch", new byte[] { 3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0 }, "does not match" },
        { "SACK gap block starting at 0", new byte[] { 3, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1 }, "gap block" },
        { "SACK gap block end before start", new byte[] { 3, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 2 }, "gap block" },
        { "SHUTDOWN wrong length", new byte[] { 7, 0, 0, 4 }, "8 bytes" },
        { "COOKIE ACK with value", new byte[] { 11, 0, 0, 8, 1, 2, 3, 4 }, "must be empty" },
        { "SHUTDOWN ACK with value", new byte[] { 8, 0, 0, 8, 1, 2, 3, 4 }, "must be empty" },
        { "COOKIE ECHO empty", new byte[] { 10, 0, 0, 4 }, "without a cookie" },
        { "ERROR without cause", new byte[] { 9, 0, 0, 4 }, "without an error cause" },
        { "ERROR cause bad length", new byte[] { 9, 0, 0, 8, 0, 1, 0, 9 }, "bad length" },
        { "FORWARD TSN bad length", new byte[] { 192, 0, 0, 10, 0, 0, 0, 1, 0, 1, 0, 0 }, "FORWARD TSN" },
        { "HEARTBEAT without info", new byte[] { 4, 0, 0, 4 }, "Heartbeat Info" },
        { "RE-CONFIG empty", new byte[] { 130, 0, 0, 4 }, "one or two parameters" },
        { "parameter with bad length", new byte[] { 130, 0, 0, 8, 0, 13, 0, 40 }, "bad length" },
    };

    [Theory]
    [MemberData(nameof(MalformedChunks))]
    public void Malformed_chunk_must_be_rejected_with_a_clear_exception(string what, byte[] bytes, string expected)
    {
        var e = Assert.Throws<SctpProtocolException>(() => Chunk.Parse(bytes));
        Assert.True(e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase), $"{what}: '{e.Message}' lacks '{expected}'");
    }

    [Fact]
    public void UnknownChunk_must_expose_the_RFC_9260_action_bits()
    {
        Assert.False(new UnknownChunk((ChunkType)0x3F, 0, Array.Empty<byte>()).SkipAndContinue);
        Assert.True(new UnknownChunk((ChunkType)0x41, 0, Array.Empty<byte>()).Report);
        var skipAndReport = new UnknownChunk((ChunkType)0xC5, 0, Array.Empty<byte>());
        Assert.True(skipAndReport.SkipAndContinue && skipAndReport.Report);
    }

    private static byte[] InitBytes(uint tag, ushort streams) =>
        [1, 0, 0, 20, (byte)(tag >> 24), (byte)(tag >> 16), (byte)(tag >> 8), (byte)tag, 0, 1, 0, 0, 0, (byte)streams, 0, (byte)streams, 0, 0, 0, 1];

    private static byte[] InitAckWithoutCookie()
    {
        var bytes = InitBytes(5, 1);
        bytes[0] = 2;
        return bytes;
    }
}
