using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Resources;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <summary>
/// Splits one PXP byte stream into named shared substreams, in the multiplex@6 format (PROTOCOL.md
/// section 2). Inlet: bytes from the transport. Outlet: frames for the transport, one element per frame
/// (or several small control frames together) so a frame is one write. Materializes an <see cref="IMultiplexer"/>.
/// With <c>exchangeMagic</c> it also sends the "#PXP#" magic first and checks the peer's: the session
/// is then one stage instead of three, which matters at ten thousand sessions.
/// </summary>
/// <remarks>
/// Modelled on GroupBy: one sub-outlet per substream, a cap on open channels, backpressure from each substream's
/// bounded buffer to the carrier, and a timer that reaps substreams nobody claims. A thin shell: which substreams exist
/// is the <see cref="ChannelTable{TSubstream}"/>'s, the order frames leave in the <see cref="FrameScheduler"/>'s; the
/// logic's parts are by direction (MultiplexerStage.Receiving.cs, MultiplexerStage.Sending.cs).
/// </remarks>
public sealed partial class MultiplexerStage : GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, IMultiplexer>
{
    private readonly MultiplexerSettings _settings;
    private readonly bool _exchangeMagic;
    private readonly SharedFrameWriter? _directSender;
    private readonly ReceivedChunks? _chunks;
    private readonly bool _bindsToTransport;
    private readonly NodeResources _resources;

    /// <param name="settings">The bounds.</param>
    /// <param name="exchangeMagic">Send the PXP magic first and check the peer's.</param>
    /// <param name="resources">The node-wide budget its sessions share; by default none.</param>
    public MultiplexerStage(MultiplexerSettings settings, bool exchangeMagic = false, NodeResources? resources = null)
        : this(settings, exchangeMagic, directSender: null, chunks: null, resources)
    {
    }

    /// <param name="settings">The bounds.</param>
    /// <param name="exchangeMagic">Send the PXP magic first and check the peer's.</param>
    /// <param name="directSender">
    /// The sender of the transport stage this stage is joined to, if it has one (a <see cref="StreamCarrierStage"/> on
    /// a socket, a <c>Relays/SubstreamCarrierStage</c> carrying a nested session): a channel's data frames then go
    /// straight through the sender whenever nothing of that channel is queued here.
    /// </param>
    /// <param name="chunks">
    /// The carrier's word on the chunks it pushes (see <see cref="ReceivedChunks"/>): lent ones, reused once it is pulled
    /// again, or immutable ones (the default).
    /// </param>
    /// <param name="resources">The node-wide budget the session draws on; none (no node-wide limit) by default.</param>
    internal MultiplexerStage(MultiplexerSettings settings, bool exchangeMagic, SharedFrameWriter? directSender, ReceivedChunks? chunks,
        NodeResources? resources = null)
        : this(settings, exchangeMagic, directSender, chunks, bindsToTransport: false, resources)
    {
    }

    private MultiplexerStage(MultiplexerSettings settings, bool exchangeMagic, SharedFrameWriter? directSender, ReceivedChunks? chunks,
        bool bindsToTransport, NodeResources? resources)
    {
        _resources = resources ?? NodeResources.Unlimited();
        _chunks = chunks;
        _settings = settings;
        _exchangeMagic = exchangeMagic;
        _directSender = directSender;
        _bindsToTransport = bindsToTransport;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    /// <summary>
    /// A stage for a blueprint graph: each materialization takes the sender and received-chunk policy of the carrier it is joined to
    /// from the <see cref="CarrierBinding"/> attribute that binds that transport.
    /// </summary>
    internal static MultiplexerStage BoundToTransport(MultiplexerSettings settings, bool exchangeMagic, NodeResources resources) =>
        new(settings, exchangeMagic, directSender: null, chunks: null, bindsToTransport: true, resources);

    /// <summary>Bytes from the transport.</summary>
    public Inlet<ByteString> In { get; } = new("Multiplexer.in");

    /// <summary>Bytes for the transport, one frame (or the magic) an element.</summary>
    public Outlet<ByteString> Out { get; } = new("Multiplexer.out");

    /// <summary>The transport side of the session: bytes in, frames out.</summary>
    public override FlowShape<ByteString, ByteString> Shape { get; }

    /// <summary>Names the stage "pxpMultiplexer".</summary>
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpMultiplexer");

    /// <summary>The stage's logic, and the <see cref="IMultiplexer"/> that opens and accepts its substreams.</summary>
    public override ILogicAndMaterializedValue<IMultiplexer> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var handle = new MultiplexerHandle(_settings.SubstreamBufferBytes, new SessionBuffer(_resources, _settings.SessionBufferBytes));
        var logic = _bindsToTransport ? BoundLogic(handle, inheritedAttributes) : new Logic(this, handle, _directSender, _chunks);
        return new LogicAndMaterializedValue<IMultiplexer>(logic, handle);
    }

    private Logic BoundLogic(MultiplexerHandle handle, Attributes inheritedAttributes)
    {
        var transport = inheritedAttributes.GetAttribute<CarrierBinding>()
            ?? throw new InvalidOperationException("A blueprint's multiplexer was materialized without a CarrierBinding");
        return new Logic(this, handle, transport.Sender, transport.Chunks);
    }
}
