using System.Runtime.InteropServices;
using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Resources;
using PxpActors.Buffers;
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
/// Modelled on GroupBy: one sub-outlet per substream, a cap on open channels, and backpressure from
/// each substream's bounded buffer to the transport. Outgoing substreams are served round-robin,
/// one frame at a time.
/// </remarks>
public sealed class MultiplexerStage : GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, IMultiplexer>
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
        return new Logic(this, handle, transport.Sender, transport.Lender);
    }

    /// <summary>Our outgoing channel of one substream.</summary>
    private sealed class LocalChannel(uint number)
    {
        public uint Number { get; } = number;
        public bool Announced { get; set; }
        public bool EndQueued { get; set; }
        public bool PeerFinished { get; set; }
    }

    // The logic is its own port handler: handler lambdas would cost a few hundred bytes per session.
    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly MultiplexerStage _stage;
        private readonly MultiplexerHandle _handle;
        private readonly SharedFrameWriter? _directSender;
        private readonly ReceivedChunks _chunks;
        private readonly MultiplexerSettings _settings;
        private readonly FrameDecoder _decoder;
        private readonly Action<Frame> _onFrame;
        private readonly Queue<ByteString> _controlFrames = new();
        private readonly Queue<SubstreamState> _readyToSend = new();
        private readonly Dictionary<string, SubstreamState> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<uint, RemoteChannel> _remote = new();
        private readonly Dictionary<string, RemoteChannel> _unclaimed = new(StringComparer.Ordinal);
        private readonly List<SubstreamState?> _localSlots = [];
        private readonly HashSet<RemoteChannel> _overfull = [];
        private readonly MagicMatcher? _magic;
        private readonly SessionBuffer _budget;
        // Substreams of this session counted in the node's budget: open names, and opens held until claimed.
        private int _substreamsCounted;
        // One async callback for every call from outside: each costs a few hundred bytes per session.
        private Action<object> _onCall = null!;
        private int _localOpen;
        private long _elementsPushed;
        // Channels whose queue here ran empty: their writers may send directly once the transport has sent all we pushed.
        private List<SubstreamState>? _goingDirect;
        private bool _closing;
        private string? _closeAfter;
        private bool _transportFinished;
        private Exception? _failure;

        /// <summary>A channel the peer opened: its data waits here until the substream's reader pulls.</summary>
        private sealed class RemoteChannel(uint number, string name)
        {
            public uint Number { get; } = number;
            public string Name { get; } = name;
            public Queue<ByteString> Buffer { get; } = new();
            public long BufferedBytes { get; set; }
            public bool Ended { get; set; }
            // Nobody claimed it in time: what the peer sends on it is dropped.
            public bool Reaped { get; set; }
            public SubstreamState? Owner { get; set; }
        }

        /// <summary>One registered name: our channel, the peer's channel once it opened, and the two sub-ports.</summary>
        private sealed class SubstreamState(string name, LocalChannel local)
        {
            public string Name { get; } = name;
            public LocalChannel Local { get; } = local;
            public RemoteChannel? Remote { get; set; }
            public SubSinkInlet<ByteString>? Writer { get; set; }
            public SubSourceOutlet<ByteString>? Reader { get; set; }
            public SubstreamChannel? Channel { get; set; }
            public bool Control { get; set; }
            public ByteString Pending { get; set; } = ByteString.Empty;
            public bool WriterDone { get; set; }
            public bool ReaderDone { get; set; }
            public bool QueuedForSend { get; set; }
            public bool GoingDirect { get; set; }
        }

        public Logic(MultiplexerStage stage, MultiplexerHandle handle, SharedFrameWriter? directSender, ReceivedChunks? chunks) : base(stage.Shape)
        {
            _stage = stage;
            _handle = handle;
            _directSender = directSender;
            _chunks = chunks ?? new ImmutableChunks();
            _settings = stage._settings;
            _budget = handle.Budget;
            _decoder = new FrameDecoder(_settings.MaxFramePayload, splitData: true);
            _onFrame = OnFrame;
            if (stage._exchangeMagic)
            {
                _magic = new MagicMatcher();
                _controlFrames.Enqueue(ByteString.CopyFrom(PxpMagic.Bytes.ToArray()));
            }

            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onCall = GetAsyncCallback<object>(OnCall);
            _handle.Bind(_onCall, OnCall);
            // The transport may have ended (or a call failed us) before this stage started.
            if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In)) Pull(_stage.In);
        }

        public override void PostStop()
        {
            var reason = _failure ?? new MultiplexerClosedException("The PXP session is closed");
            foreach (var state in _byName.Values)
            {
                if (state.Reader is { IsClosed: false } reader)
                {
                    if (_failure is null) reader.Complete();
                    else reader.Fail(reason);
                }
                if (state.Writer is { IsClosed: false } writer) writer.Cancel();
                if (state.Channel is { } channel)
                {
                    channel.FinishReads(_failure is null ? null : reason);
                    channel.CloseWrites(new MultiplexerClosedException("The PXP session is closed", _failure));
                }
            }
            _budget.Node.AddSubstreams(-_substreamsCounted);
            _substreamsCounted = 0;
            _budget.Close();
            _handle.Stopped(_failure);
        }

        // ---- transport → substreams ------------------------------------------------------------

        public override void OnPush() => OnTransportPush();

        public override void OnUpstreamFinish() => OnTransportFinish();

        public override void OnUpstreamFailure(Exception e) => Fail(e);

        public override void OnPull()
        {
            SendNext();
            if (IsAvailable(_stage.Out)) HandOverToDirectWriters();
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            if (_closing || _transportFinished) CompleteStage();
            // The transport's own failure (say, a write timeout) is the clearest reason we can give.
            else if (cause is not (null or SubscriptionWithCancelException.NonFailureCancellation)) Fail(cause);
            else Fail(new MultiplexerClosedException("The transport stopped accepting data"));
        }

        private void OnTransportPush()
        {
            var chunk = Grab(_stage.In);
            try
            {
                // Transport chunks are never changed once pushed: large payloads can stay slices of them.
                var bytes = ByteStringSegments.AsMemory(chunk);
                if (_magic is { IsComplete: false }) bytes = bytes[_magic.Consume(bytes.Span)..];
                // The carrier says how what is kept of this chunk outlives it (copied, a slice, or leased).
                _chunks.Arrived(bytes.Length);
                _decoder.Decode(bytes, _onFrame);
            }
            catch (PxpProtocolException e)
            {
                Fail(e);
                return;
            }
            PullTransportIfRoom();
        }

        private void PullTransportIfRoom()
        {
            if (_overfull.Count == 0 && !_closing && !IsClosed(_stage.In) && !HasBeenPulled(_stage.In))
                Pull(_stage.In);
        }

        private void OnTransportFinish()
        {
            if (_magic is { IsComplete: false })
            {
                Fail(new PxpProtocolException("Connection closed before the PXP magic value was received"));
                return;
            }
            if (!_decoder.IsAtFrameBoundary)
            {
                Fail(new PxpProtocolException("Connection ended in the middle of a multiplex frame"));
                return;
            }
            // The peer is gone: every substream ends once its reader has taken what was buffered.
            _transportFinished = true;
            foreach (var remote in _remote.Values.ToList()) EndRemote(remote);
            CompleteIfDrained();
        }

        private void CompleteIfDrained()
        {
            if (_transportFinished && _byName.Values.All(s => s.ReaderDone || s.Remote is not { Buffer.Count: > 0 }))
                CompleteStage();
        }

        private void OnFrame(Frame frame)
        {
            switch (frame.Type)
            {
                case FrameType.Open: OnOpen(frame); break;
                case FrameType.DataFromCreator: OnData(frame); break;
                case FrameType.EndFromCreator: EndRemote(RemoteOf(frame)); break;
                case FrameType.ErrorFromCreator: OnReset(frame); break;
                case FrameType.DataFromReceiver:
                    throw new PxpProtocolException(
                        $"Peer wrote to channel {frame.Channel}, which we created (PXP channels are one-way)");
                case FrameType.EndFromReceiver: OnPeerFinishedOurChannel(frame.Channel, reset: false); break;
                case FrameType.ErrorFromReceiver: OnPeerFinishedOurChannel(frame.Channel, reset: true); break;
            }
        }

        private void OnOpen(Frame frame)
        {
            var name = frame.Payload.IsEmpty ? frame.Channel.ToString() : DecodeName(frame.Payload.Span);
            if (_remote.ContainsKey(frame.Channel))
                throw new PxpProtocolException($"Peer opened channel {frame.Channel} again while it was still open");
            if (OpenChannelCount >= _settings.MaxSubstreams)
                throw new PxpProtocolException($"Peer opened more than {_settings.MaxSubstreams} substreams");
            if (!_budget.Node.HasRoomForSubstream())
                throw new PxpProtocolException(
                    $"Peer opened a substream past this node's limit of {_budget.Node.Limits.MaxSubstreams} substreams open across all sessions");

            var remote = new RemoteChannel(frame.Channel, name);
            if (_byName.TryGetValue(name, out var owner))
            {
                if (owner.Remote is not null)
                    throw new PxpProtocolException($"Peer opened a second channel named \"{name}\"");
                Attach(owner, remote);
            }
            else if (_unclaimed.TryAdd(name, remote))
            {
                var onCall = _onCall;
                Materializer.ScheduleOnce(_settings.UnclaimedSubstreamTimeout, () => onCall(new ReapCall(remote)));
            }
            else
            {
                throw new PxpProtocolException($"Peer opened a second channel named \"{name}\"");
            }
            _remote.Add(frame.Channel, remote);
            CountSubstreams();
        }

        /// <summary>Brings this session's share of the node's substream count up to date.</summary>
        private void CountSubstreams()
        {
            var now = _byName.Count + _unclaimed.Count;
            _budget.Node.AddSubstreams(now - _substreamsCounted);
            _substreamsCounted = now;
        }

        /// <summary>Received bytes the stage keeps (negative: handed on or dropped), charged to the session's and node's budget.</summary>
        private void Hold(RemoteChannel remote, long bytes)
        {
            remote.BufferedBytes += bytes;
            _budget.Add(bytes);
        }

        private void DropHeld(RemoteChannel remote) => Hold(remote, -remote.BufferedBytes);

        /// <summary>
        /// After the peer's data was kept: a session holding more than its budget is sent data nobody reads, and fails; one
        /// whose data takes the node past its budget is refused (the newest claimant), so the node's memory stays bounded.
        /// </summary>
        private void CheckBudget()
        {
            if (_budget.IsOverLimit)
            {
                _budget.Node.CountSessionBufferRefusal();
                throw new PxpProtocolException(
                    $"Peer sent {_budget.Held} bytes that are not read yet, past this session's limit of {_budget.Limit}");
            }
            if (_budget.Node.IsOverBufferBudget)
            {
                _budget.Node.CountNodeBufferRefusal();
                throw new PxpProtocolException(
                    $"This node holds its limit of {_budget.Node.Limits.NodeBufferBytes} received bytes not read yet: the session sending more is closed");
            }
        }

        private static string DecodeName(ReadOnlySpan<byte> bytes)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new PxpProtocolException("Peer opened a channel whose name is not valid UTF-8");
            }
        }

        private void OnData(Frame frame)
        {
            var remote = RemoteOf(frame);
            if (remote.Ended)
                throw new PxpProtocolException($"Peer sent data on channel {frame.Channel} after ending it");
            if (frame.Payload.IsEmpty || remote.Reaped) return;
            if (remote.Owner is { ReaderDone: true }) return; // our reader cancelled: the bytes have nowhere to go

            if (remote.Owner is { Channel: { } channel } && remote.Buffer.Count == 0)
            {
                // A channel is the substream's buffer: the bytes go straight there.
                channel.Deliver(frame.Payload, _chunks);
                if (channel.IsOverBound()) _overfull.Add(remote);
                CheckBudget();
                return;
            }
            remote.Buffer.Enqueue(_chunks.Keep(frame.Payload));
            Hold(remote, frame.Payload.Length);
            if (remote.BufferedBytes > _settings.SubstreamBufferBytes) _overfull.Add(remote);
            Deliver(remote);
            CheckBudget();
        }

        private void OnReset(Frame frame)
        {
            // The reference tears a relay down with end and then reset on the same channel (PROTOCOL.md
            // section 6): the end already finished it, so the late reset has nothing left to close. The
            // reference's multiplex ignores frames for channels it no longer has, and so do we here.
            if (!_remote.TryGetValue(frame.Channel, out var remote)) return;
            _remote.Remove(remote.Number);
            _overfull.Remove(remote);
            if (_unclaimed.GetValueOrDefault(remote.Name) == remote) _unclaimed.Remove(remote.Name);
            remote.Buffer.Clear();
            DropHeld(remote);
            remote.Ended = true;
            if (remote.Owner is { } owner && !owner.ReaderDone)
            {
                owner.ReaderDone = true;
                var reset = new SubstreamResetException(remote.Name, Encoding.UTF8.GetString(frame.Payload.Span));
                owner.Reader?.Fail(reset);
                owner.Channel?.FinishReads(reset);
                ForgetIfFinished(owner);
            }
            CountSubstreams();
        }

        private RemoteChannel RemoteOf(Frame frame) =>
            _remote.TryGetValue(frame.Channel, out var remote)
                ? remote
                : throw new PxpProtocolException($"Peer sent a {frame.Type} frame on channel {frame.Channel}, which it never opened");

        /// <summary>The peer ended its channel: answer with our own end (as multiplex does) and drain.</summary>
        private void EndRemote(RemoteChannel remote)
        {
            if (remote.Ended) return;
            remote.Ended = true;
            _remote.Remove(remote.Number);
            QueueControl(new Frame(remote.Number, FrameType.EndFromReceiver, ReadOnlyMemory<byte>.Empty));
            Deliver(remote);
        }

        private void OnPeerFinishedOurChannel(uint number, bool reset)
        {
            if (number >= _localSlots.Count || _localSlots[(int)number] is not { } state) return;
            state.Local.PeerFinished = true;
            if (reset && !state.Local.EndQueued)
            {
                // The peer destroyed this channel: stop taking writes, and send nothing more on it, not even an end.
                state.WriterDone = true;
                state.Local.EndQueued = true;
                state.Pending = ByteString.Empty;
                state.Writer?.Cancel();
                state.Channel?.CloseWrites(new SubstreamResetException(state.Name, "the peer destroyed the substream"));
            }
            ReleaseSlotIfDone(state);
            ForgetIfFinished(state);
        }

        // ---- substream readers ---------------------------------------------------------------

        private void Attach(SubstreamState owner, RemoteChannel remote)
        {
            owner.Remote = remote;
            remote.Owner = owner;
            Deliver(remote);
        }

        private void Deliver(RemoteChannel remote)
        {
            if (remote.Owner is not { ReaderDone: false } owner) return;
            if (owner.Reader is { } reader)
            {
                if (remote.Buffer.Count > 0 && reader.IsAvailable) reader.Push(TakeBuffered(remote));
            }
            else if (owner.Channel is { } channel)
            {
                // A channel is the substream's buffer: all of it goes there, and its bound is the stage's.
                while (remote.Buffer.TryDequeue(out var chunk)) channel.Deliver(chunk);
                DropHeld(remote); // the channel holds it now, and charged it
                if (channel.IsOverBound()) _overfull.Add(remote);
                else if (_overfull.Remove(remote)) PullTransportIfRoom();
            }
            else return;
            if (remote.Buffer.Count == 0 && remote.Ended)
            {
                owner.ReaderDone = true;
                owner.Reader?.Complete();
                owner.Channel?.FinishReads(null);
                ForgetIfFinished(owner);
                CompleteIfDrained();
            }
        }

        private ByteString TakeBuffered(RemoteChannel remote)
        {
            var next = remote.Buffer.Dequeue();
            Hold(remote, -next.Count);
            if (remote.BufferedBytes <= _settings.SubstreamBufferBytes && _overfull.Remove(remote))
                PullTransportIfRoom();
            return next;
        }

        /// <summary>
        /// A substream the peer opened and nobody claimed in time: its bytes are dropped, now and from now on, and the
        /// connection is read again if it waited for it. Nothing is sent: the peer's end is answered when it comes.
        /// </summary>
        private void Reap(RemoteChannel remote)
        {
            if (_unclaimed.GetValueOrDefault(remote.Name) != remote) return; // claimed, reset or ended meanwhile
            _unclaimed.Remove(remote.Name);
            remote.Reaped = true;
            remote.Buffer.Clear();
            DropHeld(remote);
            CountSubstreams();
            if (_overfull.Remove(remote)) PullTransportIfRoom();
        }

        /// <summary>A timer's word that <paramref name="Channel"/> may have waited too long to be claimed.</summary>
        private sealed record ReapCall(RemoteChannel Channel);

        private void OnReaderCancelled(SubstreamState state)
        {
            state.ReaderDone = true;
            if (state.Remote is { } remote)
            {
                remote.Buffer.Clear();
                DropHeld(remote);
                if (_overfull.Remove(remote)) PullTransportIfRoom();
            }
            ForgetIfFinished(state);
        }

        // ---- substream writers → transport ----------------------------------------------------

        private void Open(OpenRequest request)
        {
            _handle.Answered(request);
            var name = request.Name;
            if (_closing)
            {
                request.Fail(new MultiplexerClosedException("The PXP session is closing"));
                return;
            }
            if (_byName.ContainsKey(name))
            {
                request.Fail(new InvalidOperationException($"Substream \"{name}\" is already open"));
                return;
            }
            if (OpenChannelCount >= _settings.MaxSubstreams)
            {
                request.Fail(new InvalidOperationException(
                    $"Cannot open substream \"{name}\": {_settings.MaxSubstreams} substreams are open"));
                return;
            }
            if (!_budget.Node.HasRoomForSubstream())
            {
                request.Fail(new InvalidOperationException(
                    $"Cannot open substream \"{name}\": this node has its limit of {_budget.Node.Limits.MaxSubstreams} substreams open"));
                return;
            }

            var state = new SubstreamState(name, new LocalChannel(AllocateSlot()));
            _localSlots[(int)state.Local.Number] = state;
            _localOpen++;
            _byName.Add(name, state);

            if (request.Channel is { } channel)
            {
                state.Channel = channel;
                state.Control = request.Control;
                channel.StageState = state;
                channel.MarkOpened();
                if (_unclaimed.Remove(name, out var held)) Attach(state, held);
                CountSubstreams();
                return;
            }

            var writer = new SubSinkInlet<ByteString>(this, $"pxp-out:{name}");
            writer.SetHandler(new WriterHandler(this, state));
            state.Writer = writer;
            var reader = new SubSourceOutlet<ByteString>(this, $"pxp-in:{name}");
            reader.SetHandler(new ReaderHandler(this, state));
            state.Reader = reader;
            writer.Pull();

            if (_unclaimed.Remove(name, out var early)) Attach(state, early);
            CountSubstreams();
            request.ForGraph!.TrySetResult(new Substream(
                name,
                Akka.Streams.Dsl.Source.FromGraph(reader.Source),
                Akka.Streams.Dsl.Sink.FromGraph(writer.Sink)));
        }

        // ---- channels: the same substream state, driven by calls instead of sub-ports ----------


        private void OnCall(object call)
        {
            switch (call)
            {
                case ChannelCall channelCall: OnChannelCall(channelCall); break;
                case OpenRequest open: Open(open); break;
                case CloseCall: BeginClose(); break;
                case CloseAfterCall closeAfter: CloseAfter(closeAfter.Substream); break;
                case AbortCall abort: Fail(abort.Reason); break;
                case ReapCall reap: Reap(reap.Channel); break;
            }
        }

        private void OnChannelCall(ChannelCall call)
        {
            if (call.Channel.StageState is not SubstreamState state || _byName.GetValueOrDefault(state.Name) != state)
            {
                if (call.Kind == ChannelCallKind.Write) call.Channel.Sent(call.Data!.Count);
                return;
            }
            switch (call.Kind)
            {
                case ChannelCallKind.Write: OnChannelWrite(state, call.Data!); break;
                case ChannelCallKind.CompleteWrites: OnWriterDone(state); break;
                case ChannelCallKind.StopReading: OnReaderCancelled(state); break;
                case ChannelCallKind.RoomFreed:
                    if (state.Remote is { } remote && _overfull.Remove(remote)) PullTransportIfRoom();
                    break;
            }
        }

        private void OnChannelWrite(SubstreamState state, ByteString data)
        {
            var channel = state.Channel!;
            if (state.WriterDone)
            {
                channel.Sent(data.Count);
                return;
            }
            Announce(state);
            if (!state.Control)
            {
                state.Pending = state.Pending.IsEmpty ? data : state.Pending.Concat(data);
                QueueForSend(state);
                return;
            }
            // Control frames skip the round-robin: a reply is on the wire before any data queued after it.
            for (var offset = 0; offset < data.Count; offset += _settings.MaxSendFramePayload)
                QueueControl(EncodeData(state.Local.Number, data.Slice(offset, Math.Min(_settings.MaxSendFramePayload, data.Count - offset))));
            channel.Sent(data.Count);
            if (_controlFrames.Count > _settings.MaxQueuedControlFrames)
                Fail(new PxpProtocolException(
                    $"The peer does not read: more than {_settings.MaxQueuedControlFrames} RPC frames are waiting to be sent"));
        }

        private uint AllocateSlot()
        {
            var free = _localSlots.IndexOf(null);
            if (free >= 0) return (uint)free;
            _localSlots.Add(null);
            return (uint)(_localSlots.Count - 1);
        }

        // A held (unclaimed) open is in _remote while the peer keeps it open: count it there only once.
        // Once ended it leaves _remote but still holds its buffered data until claimed.
        private int OpenChannelCount => _localOpen + _remote.Count + _unclaimed.Values.Count(r => r.Ended);

        private void OnWriterPush(SubstreamState state)
        {
            var element = state.Writer!.Grab();
            if (element.IsEmpty)
            {
                state.Writer.Pull();
                return;
            }
            Announce(state);
            state.Pending = element;
            QueueForSend(state);
        }

        private void OnWriterDone(SubstreamState state)
        {
            if (state.WriterDone) return;
            state.WriterDone = true;
            if (!state.QueuedForSend) QueueEnd(state);
        }

        private void QueueForSend(SubstreamState state)
        {
            if (state.QueuedForSend) return;
            state.QueuedForSend = true;
            _readyToSend.Enqueue(state);
            if (IsAvailable(_stage.Out)) SendNext();
        }

        /// <summary>The type-0 open goes out just before our channel's first data, end or error frame.</summary>
        private void Announce(SubstreamState state)
        {
            if (state.Local.Announced) return;
            state.Local.Announced = true;
            var name = Encoding.UTF8.GetBytes(state.Name);
            QueueControl(new Frame(state.Local.Number, FrameType.Open, name));
        }

        /// <summary>
        /// Ends our direction with an end frame, never an error frame: a JS hub that receives a reset
        /// drops the whole peer (PROTOCOL.md section 6).
        /// </summary>
        private void QueueEnd(SubstreamState state)
        {
            if (state.Local.EndQueued) return;
            state.Local.EndQueued = true;
            if (state.Local.Announced || !_closing)
            {
                Announce(state);
                QueueControl(new Frame(state.Local.Number, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty));
            }
            ReleaseSlotIfDone(state);
            ForgetIfFinished(state);
            if (_closeAfter == state.Name) BeginClose();
        }

        private void QueueControl(Frame frame) => QueueControl(ByteString.FromBytes(frame.ToArray()));

        private void QueueControl(ByteString frame)
        {
            _controlFrames.Enqueue(frame);
            if (IsAvailable(_stage.Out)) SendNext();
        }

        /// <summary>Control frames first (they are tiny and keep channel order), then one data frame round-robin.</summary>
        private void SendNext()
        {
            if (!IsAvailable(_stage.Out)) return;
            if (_controlFrames.TryDequeue(out var control))
            {
                // Small frames queued together go out as one write.
                while (_controlFrames.TryPeek(out var next) && control.Count + next.Count <= _settings.MaxSendFramePayload)
                    control = control.Concat(_controlFrames.Dequeue());
                PushOut(control);
            }
            else if (_readyToSend.TryDequeue(out var state))
            {
                if (state.Pending.IsEmpty)
                {
                    // Dropped while queued (the peer destroyed the channel): nothing to send for it.
                    state.QueuedForSend = false;
                    SendNext();
                    return;
                }
                var take = DataFrameSizes.NextPayload(state.Pending.Count, _settings.MaxSendFramePayload);
                var payload = state.Pending.Slice(0, take);
                state.Pending = state.Pending.Slice(take);
                PushOut(EncodeData(state.Local.Number, payload));
                state.Channel?.Sent(take);
                if (!state.Pending.IsEmpty)
                {
                    _readyToSend.Enqueue(state);
                    return;
                }
                state.QueuedForSend = false;
                if (state.WriterDone) QueueEnd(state);
                else if (state.Writer is { } writer) writer.Pull();
                else if (_directSender is not null && !state.Control && !state.GoingDirect)
                {
                    state.GoingDirect = true;
                    (_goingDirect ??= []).Add(state);
                }
            }
            CompleteIfFlushed();
        }

        private void PushOut(ByteString element)
        {
            _elementsPushed++;
            Push(_stage.Out, element);
        }

        /// <summary>
        /// Once nothing is queued here and the transport has sent everything pushed to it, a channel whose writes
        /// came through here may send its data frames itself: none of ours can be overtaken any more.
        /// </summary>
        private void HandOverToDirectWriters()
        {
            if (_goingDirect is not { Count: > 0 } || _controlFrames.Count > 0 || _readyToSend.Count > 0 || _closing) return;
            var sender = _directSender!;
            if (sender.ElementsSent != _elementsPushed) return;
            foreach (var state in _goingDirect)
            {
                state.GoingDirect = false;
                if (state.QueuedForSend || state.WriterDone || !state.Pending.IsEmpty || _byName.GetValueOrDefault(state.Name) != state) continue;
                state.Channel!.SendDirectly(sender, state.Local.Number, _settings.MaxSendFramePayload);
            }
            _goingDirect.Clear();
        }

        /// <summary>
        /// Closing completes as soon as the last queued frame is pushed, without waiting for more demand:
        /// a transport that read everything may never ask again.
        /// </summary>
        private void CompleteIfFlushed()
        {
            if (_closing && _controlFrames.Count == 0 && _readyToSend.Count == 0) CompleteStage();
        }


        /// <summary>Header and payload as one element (one write), the payload not copied.</summary>
        private static ByteString EncodeData(uint channel, ByteString payload)
        {
            var header = channel << 3 | (uint)FrameType.DataFromCreator;
            var bytes = new byte[Varint.SizeOf(header) + Varint.SizeOf((uint)payload.Count)];
            var n = Varint.Write(header, bytes);
            Varint.Write((uint)payload.Count, bytes.AsSpan(n));
            return ByteString.FromBytes(bytes).Concat(payload);
        }

        private void ReleaseSlotIfDone(SubstreamState state)
        {
            // Reuse a channel number only once the peer has finished it too, or it never heard of it.
            var peerDone = state.Local.PeerFinished || !state.Local.Announced;
            if (state.Local.EndQueued && peerDone && _localSlots[(int)state.Local.Number] == state)
            {
                _localSlots[(int)state.Local.Number] = null;
                _localOpen--;
            }
        }

        private void ForgetIfFinished(SubstreamState state)
        {
            if (state.WriterDone && state.Local.EndQueued && state.ReaderDone && _byName.GetValueOrDefault(state.Name) == state)
            {
                _byName.Remove(state.Name);
                if (state.Channel is { } channel) channel.StageState = null;
                CountSubstreams();
            }
        }

        // ---- closing --------------------------------------------------------------------------

        private void CloseAfter(string name)
        {
            if (_byName.TryGetValue(name, out var state) && !(state.WriterDone && !state.QueuedForSend))
                _closeAfter = name;
            else BeginClose();
        }

        /// <summary>Stops taking writes and opens; frames already queued for control are still sent.</summary>
        private void BeginClose()
        {
            if (_closing) return;
            _closing = true;
            _closeAfter = null;
            foreach (var state in _byName.Values.ToList())
            {
                state.Writer?.Cancel();
                state.Channel?.CloseWrites(new MultiplexerClosedException("The PXP session is closing"));
                state.Pending = ByteString.Empty;
                state.WriterDone = true;
            }
            _readyToSend.Clear();
            if (!IsClosed(_stage.In)) Cancel(_stage.In);
            if (IsAvailable(_stage.Out)) SendNext();
            else CompleteIfFlushed();
        }

        private void Fail(Exception reason)
        {
            _failure ??= reason;
            FailStage(reason);
        }

        private sealed class WriterHandler(Logic logic, SubstreamState state) : InHandler
        {
            public override void OnPush() => logic.OnWriterPush(state);

            public override void OnUpstreamFinish() => logic.OnWriterDone(state);

            public override void OnUpstreamFailure(Exception e) => logic.OnWriterDone(state);
        }

        private sealed class ReaderHandler(Logic logic, SubstreamState state) : OutHandler
        {
            public override void OnPull()
            {
                if (state.Remote is { } remote) logic.Deliver(remote);
            }

            public override void OnDownstreamFinish(Exception cause) => logic.OnReaderCancelled(state);
        }
    }
}
