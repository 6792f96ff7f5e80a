using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Sctp;

namespace PxpActors.WebRtc.Tests.DataChannels;

/// <summary>
/// Two data-channel endpoints over real SCTP transports joined by the deterministic datagram bridge:
/// A plays the DTLS client (even ids), B the DTLS server (odd ids). Real clock, short timers.
/// </summary>
internal sealed class DataChannelPair : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static SctpAssociationOptions FastOptions { get; } = new()
    {
        InitialRto = TimeSpan.FromMilliseconds(100),
        MinRto = TimeSpan.FromMilliseconds(50),
        DelayedAckTimeout = TimeSpan.FromMilliseconds(20),
        MaxAssociationRetransmits = 30,
    };

    private DataChannelPair(DatagramBridge bridge, DataChannelEndpoint a, DataChannelEndpoint b)
    {
        Bridge = bridge;
        A = a;
        B = b;
    }

    public DatagramBridge Bridge { get; }
    public DataChannelEndpoint A { get; }
    public DataChannelEndpoint B { get; }

    public static async Task<DataChannelPair> ConnectAsync(int seed = 1, double loss = 0, DataChannelEndpointOptions? options = null)
    {
        var bridge = new DatagramBridge(seed, autoDeliver: true);
        bridge.SetLossRate(loss);
        var sctpA = new SctpTransport(bridge.Left, FastOptions);
        var sctpB = new SctpTransport(bridge.Right, FastOptions);
        using var cts = new CancellationTokenSource(Timeout);
        await Task.WhenAll(sctpA.ConnectAsync(cts.Token), sctpB.ConnectAsync(cts.Token));
        return new DataChannelPair(bridge, new DataChannelEndpoint(sctpA, DtlsRole.Client, options), new DataChannelEndpoint(sctpB, DtlsRole.Server, options));
    }

    public static CancellationToken Deadline() => new CancellationTokenSource(Timeout).Token;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
