using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Resources;
using PxpActors.Carriers;
using PxpActors.Carriers.Pipes;
using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Sessions;

/// <summary>
/// The graph of a session (its multiplexer joined to its transport), for one exchange. Over a socket or a relay substream
/// it is fused once, here, and each session binds that blueprint to its own transport through an attribute: fusing a
/// graph costs more than the rest of materializing it, and a node opens a session per peer. Immutable, so every session
/// actor of the exchange may use it.
/// </summary>
internal sealed class SessionGraphs
{
    private readonly MultiplexerSettings _settings;
    private readonly NodeResources _resources;
    private readonly IRunnableGraph<IMultiplexer> _overStream;
    private readonly IRunnableGraph<IMultiplexer> _overSubstream;
    private readonly Lazy<IRunnableGraph<IMultiplexer>> _overPipe;

    public SessionGraphs(MultiplexerSettings settings, NodeResources resources)
    {
        _settings = settings;
        _resources = resources;
        _overStream = Blueprint(StreamCarrierStage.Unbound());
        _overSubstream = Blueprint(SubstreamCarrierStage.Unbound());
        _overPipe = new(() => Blueprint(PipeCarrierStage.Unbound()));
    }

    /// <summary>Runs a session over the stream or substream <paramref name="binding"/> binds.</summary>
    public IMultiplexer Run(CarrierBinding binding, IMaterializer materializer)
    {
        var blueprint = binding switch
        {
            StreamCarrierBinding => _overStream,
            SubstreamCarrierBinding => _overSubstream,
            PipeCarrierBinding => _overPipe.Value,
            _ => throw new ArgumentException($"No session blueprint for a {binding.GetType().Name}", nameof(binding)),
        };
        return blueprint.WithAttributes(new Attributes(binding)).Run(materializer);
    }

    /// <summary>Runs a session over any byte flow (fused when it is materialized, as any graph).</summary>
    public IMultiplexer Run(Flow<ByteString, ByteString, NotUsed> transport, IMaterializer materializer) =>
        Flow.FromGraph(new MultiplexerStage(_settings, exchangeMagic: true, _resources))
            .JoinMaterialized(transport, Keep.Left)
            .Run(materializer);

    private IRunnableGraph<IMultiplexer> Blueprint(IGraph<FlowShape<ByteString, ByteString>, NotUsed> transport) =>
        RunnableGraph.FromGraph(Fusing.Aggressive(
            Flow.FromGraph(MultiplexerStage.BoundToTransport(_settings, exchangeMagic: true, _resources))
                .JoinMaterialized(Flow.FromGraph(transport), Keep.Left)));
}
