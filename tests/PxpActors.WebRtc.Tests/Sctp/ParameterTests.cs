using Xunit;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class ParameterTests
{
    public static TheoryData<Parameter> AllParameters() => new()
    {
        new HeartbeatInfoParameter(new byte[] { 1, 2, 3, 4, 5 }),
        new StateCookieParameter(new byte[] { 1, 2, 3 }),
        new ForwardTsnSupportedParameter(),
        new SupportedExtensionsParameter([ChunkType.ReConfig, ChunkType.ForwardTsn, (ChunkType)0x40]),
        new OutgoingSsnResetRequestParameter(1, 2, 3, [10, 11, 12]),
        new OutgoingSsnResetRequestParameter(1, 2, 3, []),
        new IncomingSsnResetRequestParameter(7, [4, 5]),
        new ReconfigurationResponseParameter(9, ReconfigurationResult.InProgress),
        new ReconfigurationResponseParameter(9, ReconfigurationResult.SuccessPerformed, 100, 200),
        new UnknownParameter((ParameterType)0x8001, new byte[] { 0xAB }),
    };

    [Theory]
    [MemberData(nameof(AllParameters))]
    public void Parameter_must_round_trip_through_bytes(Parameter parameter)
    {
        var bytes = parameter.ToArray();
        Assert.Equal(0, bytes.Length % 4);
        var parsed = Parameter.Parse(bytes);
        Assert.Equal(parameter.GetType(), parsed.GetType());
        Assert.Equal(parameter.Type, parsed.Type);
        Assert.Equal(bytes, parsed.ToArray());
    }

    [Fact]
    public void OutgoingSsnResetRequest_must_parse_every_field()
    {
        var p = Assert.IsType<OutgoingSsnResetRequestParameter>(Parameter.Parse(new OutgoingSsnResetRequestParameter(0x01020304, 5, 6, [7, 8]).ToArray()));
        Assert.Equal((0x01020304u, 5u, 6u), (p.RequestSequenceNumber, p.ResponseSequenceNumber, p.SendersLastAssignedTsn));
        Assert.Equal(new ushort[] { 7, 8 }, p.Streams);
    }

    [Fact]
    public void ReconfigurationResponse_must_parse_the_optional_TSNs()
    {
        var p = Assert.IsType<ReconfigurationResponseParameter>(Parameter.Parse(new ReconfigurationResponseParameter(3, ReconfigurationResult.Denied, 10, 20).ToArray()));
        Assert.Equal((3u, ReconfigurationResult.Denied, (uint?)10u, (uint?)20u), (p.ResponseSequenceNumber, p.Result, p.SendersNextTsn, p.ReceiversNextTsn));
    }

    [Fact]
    public void ErrorCause_must_round_trip_its_text()
    {
        var abort = Assert.IsType<AbortChunk>(Chunk.Parse(new AbortChunk(false, [ErrorCause.WithText(ErrorCauseCode.UserInitiatedAbort, "closing now")]).ToArray()));
        var cause = Assert.Single(abort.Causes);
        Assert.Equal(ErrorCauseCode.UserInitiatedAbort, cause.Code);
        Assert.Equal("closing now", cause.InformationText);
    }

    public static TheoryData<string, byte[], string> MalformedParameters() => new()
    {
        { "truncated header", new byte[] { 0, 1, 0 }, "Truncated parameter header" },
        { "length below header", new byte[] { 0, 1, 0, 3 }, "bad length" },
        { "length past end", new byte[] { 0, 1, 0, 9, 0, 0, 0, 0 }, "bad length" },
        { "Forward-TSN-Supported with value", new byte[] { 0xC0, 0, 0, 8, 1, 2, 3, 4 }, "must be empty" },
        { "Outgoing reset too short", new byte[] { 0, 13, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2 }, "Outgoing SSN Reset Request" },
        { "Outgoing reset odd stream bytes", new byte[] { 0, 13, 0, 17, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 9, 0, 0, 0 }, "Outgoing SSN Reset Request" },
        { "Incoming reset too short", new byte[] { 0, 14, 0, 6, 0, 0, 0, 0 }, "Incoming SSN Reset Request" },
        { "Response of 10 bytes", new byte[] { 0, 16, 0, 10, 0, 0, 0, 1, 0, 0, 0, 0 }, "Re-configuration Response" },
        { "two parameters where one is expected", new byte[] { 0xC0, 0, 0, 4, 0xC0, 0, 0, 4 }, "exactly one" },
    };

    [Theory]
    [MemberData(nameof(MalformedParameters))]
    public void Malformed_parameter_must_be_rejected_with_a_clear_exception(string what, byte[] bytes, string expected)
    {
        var e = Assert.Throws<SctpProtocolException>(() => Parameter.Parse(bytes));
        Assert.True(e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase), $"{what}: '{e.Message}' lacks '{expected}'");
    }
}
