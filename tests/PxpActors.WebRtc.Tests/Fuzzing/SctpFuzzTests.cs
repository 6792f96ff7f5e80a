using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;
using PxpActors.WebRtc.Tests.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>SCTP packets (RFC 9260) with every chunk type and parameter we read, as the peer's DTLS records carry them.</summary>
public sealed class SctpFuzzTests
{
    private static List<byte[]> Seeds()
    {
        // Real traffic: handshake, data, SACKs, a stream reset and a shutdown.
        var net = new SctpTestNetwork(seed: 10) { RecordPackets = true };
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[3000], new SctpSendOptions(MaxRetransmits: 0)));
        net.A.ResetStreams([2]);
        net.A.Shutdown();
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed, TimeSpan.FromSeconds(10));
        var causes = new[] { new ErrorCause(ErrorCauseCode.InvalidStreamIdentifier, new byte[] { 0, 7, 0, 0 }), new ErrorCause(ErrorCauseCode.ProtocolViolation, "why"u8.ToArray()) };
        // What that run does not send, built with our own writers.
        byte[][] built =
        [
            Packet(new SackChunk(100, 65536, [new GapAckBlock(2, 3), new GapAckBlock(5, 9)], [98, 99])),
            Packet(new ForwardTsnChunk(200, [new ForwardTsnStream(1, 4), new ForwardTsnStream(3, 0)])),
            Packet(new HeartbeatChunk(new HeartbeatInfoParameter(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })),
                new HeartbeatAckChunk(new HeartbeatInfoParameter(new byte[] { 8, 7 }))),
            Packet(new ErrorChunk(causes)),
            Packet(new AbortChunk(TagReflected: true, causes)),
            Packet(new ReConfigChunk([
                new OutgoingSsnResetRequestParameter(7, 6, 300, [1, 3, 5]),
                new IncomingSsnResetRequestParameter(8, [2, 4]),
                new ReconfigurationResponseParameter(6, ReconfigurationResult.SuccessPerformed, 301, 401),
            ])),
            Packet(new InitChunk(0xA1B2C3D4, 131072, 1024, 1024, 1000, [
                new ForwardTsnSupportedParameter(), new SupportedExtensionsParameter([ChunkType.ReConfig, ChunkType.ForwardTsn]),
                new UnknownParameter((ParameterType)0xC005, new byte[] { 1, 2 }),
            ])),
            Packet(new InitAckChunk(0x11223344, 131072, 1024, 1024, 5000, [new StateCookieParameter(new byte[32])])),
            Packet(new CookieEchoChunk(new byte[32]), new DataChunk(1000, 0, 0, 50, new byte[] { 3, 0, 0, 0 }, false, true, true)),
            Packet(new ShutdownChunk(400), new ShutdownAckChunk(), new ShutdownCompleteChunk(TagReflected: true), new CookieAckChunk()),
            Packet(new UnknownChunk((ChunkType)0xC1, 0, new byte[] { 9, 9, 9 })),
        ];
        return [.. net.SentAToB, .. net.SentBToA, .. built];
    }

    private static byte[] Packet(params Chunk[] chunks) => new SctpPacket(5000, 5000, 0x01020304, chunks).ToArray();

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_SctpProtocolException_and_allocate_within_its_input()
    {
        var mutate = SeedMutator.Of(Seeds());
        ParserFuzz.Run<SctpProtocolException>(random =>
        {
            var input = mutate(random);
            // Mostly with the checksum made right again, so the chunk and parameter parsers are reached.
            if (input.Length >= SctpPacket.CommonHeaderLength && random.Next(4) != 0) SctpPacket.SealChecksum(input);
            return input;
        }, input => SctpPacket.Parse(input), bytesPerInputByte: 4, fixedBytes: 8 * 1024) // chunk values are copied out once
            .MustReachBothPaths();
    }
}
