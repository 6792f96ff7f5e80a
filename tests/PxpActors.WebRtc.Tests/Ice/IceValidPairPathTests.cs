using Microsoft.Extensions.Time.Testing;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>
/// <see cref="IceAgent.ConnectOnValidPairAsync"/>: the path is handed up once a pair is valid, before nomination
/// (RFC 8445 §12.1), so DTLS can start while the controlling side still nominates or still lacks our credentials.
/// </summary>
public sealed class IceValidPairPathTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly VirtualNetwork _network = new(seed: 5);

    [Fact]
    public async Task Valid_pair_path_must_carry_datagrams_both_ways_while_nomination_is_lost()
    {
        // Every check that nominates is lost: the pairs become valid, yet nothing is ever selected.
        _network.Filter = d => !IsNomination(d.Data);
        var (a, b) = await StartPairAsync();
        var usableA = a.ConnectOnValidPairAsync();
        var usableB = b.ConnectOnValidPairAsync();
        var connectedA = a.ConnectAsync();
        var connectedB = b.ConnectAsync();

        await DriveAsync(() => usableA.IsCompleted && usableB.IsCompleted, TimeSpan.FromSeconds(2));
        var pathA = await usableA;
        var pathB = await usableB;
        Assert.False(connectedA.IsCompleted);
        Assert.False(connectedB.IsCompleted);
        Assert.Null(a.SelectedPair);
        Assert.Null(b.SelectedPair);

        await pathA.SendAsync(new byte[] { 22, 254, 253, 1 });
        await pathB.SendAsync(new byte[] { 22, 254, 253, 2 });
        Assert.Equal(new byte[] { 22, 254, 253, 1 }, await ReceiveAsync(pathB));
        Assert.Equal(new byte[] { 22, 254, 253, 2 }, await ReceiveAsync(pathA));

        // Once nominations get through, the same connection is the nominated one.
        _network.Filter = null;
        await DriveAsync(() => connectedA.IsCompleted && connectedB.IsCompleted, TimeSpan.FromSeconds(10));
        Assert.Same(pathA, await connectedA);
        Assert.Same(pathB, await connectedB);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(0, _network.OpenSocketCount);
    }

    [Fact]
    public async Task Valid_pair_path_must_fail_like_connect_when_no_pair_works()
    {
        _network.Filter = _ => false;
        var (a, b) = await StartPairAsync(TimeSpan.FromSeconds(3));
        var usable = a.ConnectOnValidPairAsync();

        await DriveAsync(() => usable.IsCompleted, TimeSpan.FromSeconds(5));
        var failure = await Assert.ThrowsAsync<IceException>(() => usable);
        Assert.Equal(IceFailureReason.ConnectTimeout, failure.Reason);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public void Core_must_route_over_the_best_valid_pair_before_one_is_selected_and_report_it_once()
    {
        var harness = new IceCoreHarness();
        harness.Network.Filter = d => !IsNomination(d.Data);
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = IceRole.Controlled });
        Assert.False(a.Core.TryGetRoute(out _, out _));

        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Core.TryGetRoute(out _, out _) && b.Core.TryGetRoute(out _, out _), TimeSpan.FromSeconds(2)));
        Assert.Null(a.Core.SelectedPair);
        Assert.True(a.Core.TryGetRoute(out _, out var remote));
        Assert.Equal(b.Sockets[0].LocalEndPoint, remote);

        harness.Network.Filter = null;
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, TimeSpan.FromSeconds(10)));
        Assert.Single(a.ValidPairs);
        Assert.Single(b.ValidPairs);
    }

    private static bool IsNomination(byte[] datagram) =>
        DatagramDemux.Classify(datagram) == PacketKind.Stun && StunMessage.Parse(datagram).Has<UseCandidateAttribute>();

    private async Task<(IceAgent A, IceAgent B)> StartPairAsync(TimeSpan? connectTimeout = null)
    {
        IceAgentOptions Options(IceRole role) =>
            new() { Role = role, TimeProvider = _clock, ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(30) };
        var a = new IceAgent(Options(IceRole.Controlling), _network.AddHost("10.0.0.1"));
        var b = new IceAgent(Options(IceRole.Controlled), _network.AddHost("10.0.0.2"));
        a.SetRemoteCredentials(b.LocalCredentials);
        b.SetRemoteCredentials(a.LocalCredentials);
        a.LocalCandidateGathered += b.AddRemoteCandidate;
        b.LocalCandidateGathered += a.AddRemoteCandidate;
        await a.StartAsync();
        await b.StartAsync();
        return (a, b);
    }

    private async Task DriveAsync(Func<bool> until, TimeSpan limit)
    {
        var end = _clock.GetUtcNow() + limit;
        while (true)
        {
            await _network.WaitForIdleAsync(Wait);
            if (until()) return;
            if (_clock.GetUtcNow() >= end) throw new TimeoutException($"Condition not met within {limit} of simulated time.");
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    private static async Task<byte[]> ReceiveAsync(IDatagramConnection connection)
    {
        var buffer = new byte[2048];
        var n = await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Wait);
        return buffer[..n];
    }
}
