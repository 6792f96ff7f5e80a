using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using Xunit.Abstractions;
using static PxpActors.Tests.Multiplexing.PeerFrames;
using PxpActors.Tests.Streams;

namespace PxpActors.Tests.Multiplexing;

/// <summary>The "#PXP#" magic, sent and checked by the multiplexer of a session (PROTOCOL.md section 1).</summary>
public sealed class MultiplexerMagicSpec(ITestOutputHelper output) : StreamSpec(output)
{
    private static ByteString Bytes(string text) => ByteString.FromString(text);

    /// <summary>Random cuts of 1 to 3 bytes, so the magic and the first frames split at every kind of boundary.</summary>
    private static IEnumerable<byte[]> Cut(byte[] bytes, Random random)
    {
        for (var offset = 0; offset < bytes.Length;)
        {
            var size = Math.Min(random.Next(1, 4), bytes.Length - offset);
            yield return bytes[offset..(offset + size)];
            offset += size;
        }
    }

    [Fact]
    public Task Multiplexer_must_send_the_magic_first_without_waiting_for_the_peer() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, exchangeMagic: true);

        Assert.Equal("#PXP#", session.Wire.RequestNext().ToString());
        await session.OpenAsync("pxp"); // opening sends nothing: opens are announced with the first frame
        session.Transport.SendNext(ByteString.CopyFrom(PxpMagic.Bytes.ToArray()));
        await session.EndFromPeerAsync();
    });

    [Fact]
    public Task Multiplexer_must_accept_the_magic_split_anywhere_and_decode_the_frames_after_it() => StagesStopAfter(async () =>
    {
        var frames = new[] { Open(0, "pxp"), Data(0, "hello"), End(0) }.SelectMany(f => f.ToArray());
        var stream = "#PXP#"u8.ToArray().Concat(frames).ToArray();
        for (var seed = 0; seed < 20; seed++)
        {
            var session = new MultiplexerSession(this, Materializer, exchangeMagic: true);
            var pxp = await session.OpenAsync("pxp");
            foreach (var chunk in Cut(stream, new Random(seed))) session.Transport.SendNext(ByteString.FromBytes(chunk));

            pxp.Reader.Request(10);
            var received = new List<byte>();
            while (pxp.Reader.ExpectNextOrComplete() is ByteString chunk) received.AddRange(chunk.ToArray());
            Assert.Equal("hello"u8.ToArray(), received);
            await session.EndFromPeerAsync();
        }
    });

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("#PXQ#")]
    [InlineData("#PX", "p#")]
    public Task Multiplexer_must_fail_with_PxpProtocolException_on_a_bad_magic(params string[] chunks) => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, exchangeMagic: true);
        foreach (var chunk in chunks) session.Transport.SendNext(Bytes(chunk));

        var error = await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal("Invalid magic value, peer not using PXP", error.Message);
    });

    [Fact]
    public Task Multiplexer_must_fail_when_the_peer_closes_before_the_whole_magic() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, exchangeMagic: true);
        session.Transport.SendNext(Bytes("#PX"));
        session.Transport.SendComplete();

        var error = await Assert.ThrowsAsync<PxpProtocolException>(() => session.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal("Connection closed before the PXP magic value was received", error.Message);
    });

    [Fact]
    public Task Multiplexer_must_write_the_references_session_start_bytes_in_whole_frames() => StagesStopAfter(async () =>
    {
        var session = new MultiplexerSession(this, Materializer, exchangeMagic: true);
        var pxp = session.Mux.OpenChannel("pxp", control: true);
        var hello = new Hello(Nonce.Format(0), Hello.CurrentVersion, ConnectInfo.Accepting, ["test"]);
        Assert.True(pxp.TrySend(ByteString.FromBytes(RpcCodec.Encode(hello))));

        // Observed from the reference (PROTOCOL.md section 6); ours may share writes, never split a frame.
        byte[] expected =
        [
            .. "#PXP#"u8, 0x00, 0x03, .. "pxp"u8,
            0x02, 0x43, .. "[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]\n"u8,
        ];
        var written = new List<byte>(session.Wire.RequestNext().ToArray());
        Assert.Equal("#PXP#"u8.ToArray(), written.Take(5));
        if (written.Count > 5) WireFrame.AllFromElement(ByteString.FromBytes(written.Skip(5).ToArray()));
        while (written.Count < expected.Length)
        {
            var element = session.Wire.RequestNext();
            WireFrame.AllFromElement(element);
            written.AddRange(element.ToArray());
        }
        Assert.Equal(expected, written);

        session.Mux.Abort(new OperationCanceledException("test over"));
        session.Transport.ExpectCancellation();
    });
}
