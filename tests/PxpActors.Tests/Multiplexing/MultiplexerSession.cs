using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using PxpActors.Protocol.Framing;
using PxpActors.Multiplexing;

namespace PxpActors.Tests.Multiplexing;

/// <summary>The two ends of one substream under test: what we read from the peer and what we write.</summary>
internal sealed record SubstreamProbes(
    Substream Substream, TestSubscriber.Probe<ByteString> Reader, TestPublisher.Probe<ByteString> Writer);

/// <summary>
/// A <see cref="MultiplexerStage"/> driven from both sides: <see cref="Transport"/> plays the peer's bytes
/// into it, <see cref="Wire"/> reads the frames it writes, <see cref="Mux"/> is its materialized handle.
/// </summary>
internal sealed class MultiplexerSession
{
    private readonly TestKitBase _kit;
    private readonly IMaterializer _materializer;
    private readonly Queue<WireFrame> _written = new();

    public MultiplexerSession(TestKitBase kit, IMaterializer materializer, MultiplexerSettings? settings = null,
        bool exchangeMagic = false)
    {
        _kit = kit;
        _materializer = materializer;
        ((Transport, Mux), Wire) = kit.SourceProbe<ByteString>()
            .ViaMaterialized(new MultiplexerStage(settings ?? MultiplexerSettings.Default, exchangeMagic), Keep.Both)
            .ToMaterialized(kit.SinkProbe<ByteString>(), Keep.Both)
            .Run(materializer);
    }

    public TestPublisher.Probe<ByteString> Transport { get; }

    public TestSubscriber.Probe<ByteString> Wire { get; }

    public IMultiplexer Mux { get; }

    /// <summary>The peer writes <paramref name="frames"/> as one transport chunk.</summary>
    public void Send(params Frame[] frames) =>
        Transport.SendNext(ByteString.FromBytes(frames.SelectMany(f => f.ToArray()).ToArray()));

    /// <summary>The next frame written, whether it had a transport element of its own or shared one.</summary>
    public WireFrame NextFrame()
    {
        if (_written.Count == 0)
            foreach (var frame in WireFrame.AllFromElement(Wire.RequestNext())) _written.Enqueue(frame);
        return _written.Dequeue();
    }

    public void ExpectFrame(uint channel, FrameType type, string text = "") =>
        Assert.Equal(new WireFrame(channel, type, text), NextFrame());

    public async Task<SubstreamProbes> OpenAsync(string name)
    {
        var substream = await Mux.OpenAsync(name).WaitAsync(TimeSpan.FromSeconds(3));
        var reader = substream.Incoming.RunWith(_kit.SinkProbe<ByteString>(), _materializer);
        var writer = _kit.SourceProbe<ByteString>().To(substream.Outgoing).Run(_materializer);
        return new SubstreamProbes(substream, reader, writer);
    }

    /// <summary>Writes on a substream and expects it on the wire: its open first if <paramref name="opens"/>, then the data.</summary>
    public void WriteAndExpect(SubstreamProbes substream, uint channel, string text, bool opens)
    {
        substream.Writer.SendNext(ByteString.FromString(text));
        if (opens) ExpectFrame(channel, FrameType.Open, substream.Substream.Name);
        ExpectFrame(channel, FrameType.DataFromCreator, text);
    }

    /// <summary>Ends the session from the peer's side and waits for the stage to stop.</summary>
    public async Task EndFromPeerAsync()
    {
        Transport.SendComplete();
        await Mux.Completion.WaitAsync(TimeSpan.FromSeconds(3));
    }
}
