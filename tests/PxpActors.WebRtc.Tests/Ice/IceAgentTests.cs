using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>The agent with its sockets, timer and receive loops: over the virtual network on a fake clock, and over real UDP.</summary>
public sealed class IceAgentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private sealed class Fixture
    {
        public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        public TrackingTimeProvider Clock { get; }
        public VirtualNetwork Network { get; }

        public Fixture(int seed = 9)
        {
            Clock = new TrackingTimeProvider(Fake);
            Network = new VirtualNetwork(seed);
        }

        public IceAgentOptions Options(IceRole role) => new() { Role = role, TimeProvider = Clock };

        /// <summary>Lets the receive loops finish, then advances the fake clock, until the condition holds.</summary>
        public async Task DriveAsync(Func<bool> until, TimeSpan limit, TimeSpan? step = null)
        {
            var end = Fake.GetUtcNow() + limit;
            while (true)
            {
                await Network.WaitForIdleAsync(Wait);
                if (until()) return;
                if (Fake.GetUtcNow() >= end) throw new TimeoutException($"Condition not met within {limit} of simulated time.");
                Fake.Advance(step ?? TimeSpan.FromMilliseconds(10));
            }
        }
    }

    /// <summary>Trickles everything between two agents, the way signalling would.</summary>
    private static void Wire(IceAgent a, IceAgent b, Func<IceCandidate, IceCandidate>? rewriteForA = null)
    {
        a.SetRemoteCredentials(b.LocalCredentials);
        b.SetRemoteCredentials(a.LocalCredentials);
        a.LocalCandidateGathered += c => b.AddRemoteCandidate(c);
        b.LocalCandidateGathered += c => a.AddRemoteCandidate(rewriteForA is null ? c : rewriteForA(c));
        a.GatheringCompleted += b.AddRemoteEndOfCandidates;
        b.GatheringCompleted += a.AddRemoteEndOfCandidates;
    }

    private static async Task<byte[]> ReceiveAsync(IDatagramConnection connection)
    {
        var buffer = new byte[2048];
        var n = await connection.ReceiveAsync(buffer).AsTask().WaitAsync(Wait);
        return buffer[..n];
    }

    [Fact]
    public async Task Agents_must_connect_and_carry_datagrams_over_the_virtual_network()
    {
        var f = new Fixture();
        var hostA = f.Network.AddHost("10.0.0.1");
        var hostB = f.Network.AddHost("10.0.0.2");
        var a = new IceAgent(f.Options(IceRole.Controlling), hostA);
        var b = new IceAgent(f.Options(IceRole.Controlled), hostB);
        var statesA = new List<IceConnectionState>();
        a.ConnectionStateChanged += statesA.Add;
        Wire(a, b);
        await a.StartAsync();
        await b.StartAsync();
        var connectA = a.ConnectAsync();
        var connectB = b.ConnectAsync();

        await f.DriveAsync(() => connectA.IsCompleted && connectB.IsCompleted, TimeSpan.FromSeconds(5));
        var ca = await connectA;
        var cb = await connectB;
        Assert.Equal([IceConnectionState.Checking, IceConnectionState.Connected], statesA);
        Assert.Equal(IceGatheringState.Complete, a.GatheringState);
        Assert.Equal(a.SelectedPair!.Priority, b.SelectedPair!.Priority);

        // A DTLS record goes up to the layer above; STUN never does.
        await ca.SendAsync(new byte[] { 22, 254, 253, 7 });
        await cb.SendAsync(new byte[] { 23, 254, 253, 8 });
        Assert.Equal(new byte[] { 22, 254, 253, 7 }, await ReceiveAsync(cb));
        Assert.Equal(new byte[] { 23, 254, 253, 8 }, await ReceiveAsync(ca));
        Assert.Equal(1200, ca.MaxDatagramSize);

        // Consent keeps it up for a while; then closing the connection releases everything.
        var later = f.Fake.GetUtcNow() + TimeSpan.FromSeconds(60);
        await f.DriveAsync(() => f.Fake.GetUtcNow() >= later, TimeSpan.FromSeconds(61), TimeSpan.FromMilliseconds(250));
        Assert.Equal(IceConnectionState.Connected, a.ConnectionState);
        Assert.Equal(IceConnectionState.Connected, b.ConnectionState);

        await ca.DisposeAsync();
        await b.DisposeAsync();
        await a.Closed.WaitAsync(Wait);
        Assert.Equal(0, f.Network.OpenSocketCount);
        Assert.Equal(0, f.Clock.ActiveTimers);
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => ca.SendAsync(new byte[] { 22 }).AsTask());
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => ReceiveAsync(cb));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Agents_must_connect_through_loss_with_their_timer_driving_retransmissions(int seed)
    {
        var f = new Fixture(seed);
        f.Network.LossRate = 0.3;
        var a = new IceAgent(f.Options(IceRole.Controlling), f.Network.AddHost("10.0.0.1", "10.0.1.1"));
        var b = new IceAgent(f.Options(IceRole.Controlled), f.Network.AddHost("10.0.0.2", "10.0.1.2"));
        Wire(a, b);
        await a.StartAsync();
        await b.StartAsync();
        var connectA = a.ConnectAsync();
        var connectB = b.ConnectAsync();

        await f.DriveAsync(() => connectA.IsCompleted && connectB.IsCompleted, TimeSpan.FromSeconds(20));
        await connectA;
        await connectB;
        Assert.True(f.Network.DroppedCount > 0);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(0, f.Network.OpenSocketCount);
        Assert.Equal(0, f.Clock.ActiveTimers);
    }

    [Fact]
    public async Task Agents_must_connect_over_real_UDP_on_loopback()
    {
        var network = new TrackingNetwork(UdpNetwork.Instance);
        var loopback = new[] { IPAddress.Loopback };
        await using var a = new IceAgent(new IceAgentOptions { Role = IceRole.Controlling, LocalAddresses = loopback }, network);
        await using var b = new IceAgent(new IceAgentOptions { Role = IceRole.Controlled, LocalAddresses = loopback }, network);
        Wire(a, b);
        await a.StartAsync();
        await b.StartAsync();
        var ca = await a.ConnectAsync().WaitAsync(Wait);
        var cb = await b.ConnectAsync().WaitAsync(Wait);

        await ca.SendAsync(new byte[] { 22, 1, 2, 3 });
        Assert.Equal(new byte[] { 22, 1, 2, 3 }, await ReceiveAsync(cb));
        await cb.SendAsync(new byte[] { 22, 4, 5, 6 });
        Assert.Equal(new byte[] { 22, 4, 5, 6 }, await ReceiveAsync(ca));
        Assert.Equal("127.0.0.1", a.SelectedPair!.Local.Address);

        await ca.DisposeAsync();
        await cb.DisposeAsync();
        Assert.Equal(2, network.BoundCount);
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(IceConnectionState.Closed, a.ConnectionState);
    }

    [Fact]
    public async Task A_datagram_the_STUN_parser_chokes_on_must_not_stop_the_receive_loop_over_real_UDP()
    {
        var loopback = new[] { IPAddress.Loopback };
        await using var a = new IceAgent(new IceAgentOptions { Role = IceRole.Controlling, LocalAddresses = loopback });
        await using var b = new IceAgent(new IceAgentOptions { Role = IceRole.Controlled, LocalAddresses = loopback });
        Wire(a, b);
        await a.StartAsync();
        await b.StartAsync();
        var ca = await a.ConnectAsync().WaitAsync(Wait);
        var cb = await b.ConnectAsync().WaitAsync(Wait);

        // Spoofed from anywhere, before any integrity check: a binding request whose UNKNOWN-ATTRIBUTES lists 65 types.
        var poison = new byte[20 + 4 + 2 * 65 + 2];
        poison[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(poison.AsSpan(2), (ushort)(poison.Length - 20));
        BinaryPrimitives.WriteUInt32BigEndian(poison.AsSpan(4), StunMessage.MagicCookie);
        BinaryPrimitives.WriteUInt16BigEndian(poison.AsSpan(20), StunAttributeType.UnknownAttributes);
        BinaryPrimitives.WriteUInt16BigEndian(poison.AsSpan(22), 2 * 65);
        using (var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            await attacker.SendAsync(poison, a.SelectedPair!.Local.EndPoint!);

        // Queued on A's socket behind the poison: it arrives only if A's receive loop survived it.
        await cb.SendAsync(new byte[] { 22, 7, 8, 9 });
        Assert.Equal(new byte[] { 22, 7, 8, 9 }, await ReceiveAsync(ca));
        Assert.Equal(IceConnectionState.Connected, a.ConnectionState);
        Assert.Equal(0, a.FaultyDatagrams); // refused by the parser as malformed, not caught as a fault
        await ca.DisposeAsync();
        await cb.DisposeAsync();
    }

    [Fact]
    public async Task Connect_timeout_must_fail_clearly_and_release_sockets_timer_and_loops()
    {
        var f = new Fixture();
        var host = f.Network.AddHost("10.0.0.1");
        var a = new IceAgent(f.Options(IceRole.Controlling) with { ConnectTimeout = TimeSpan.FromSeconds(5) }, host);
        await a.StartAsync();
        a.SetRemoteCredentials(IceCredentials.Generate());
        a.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 2122260223 10.0.0.99 5000 typ host"));
        var connect = a.ConnectAsync();
        Assert.Equal(1, f.Clock.ActiveTimers);

        await f.DriveAsync(() => connect.IsCompleted, TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(100));
        var error = await Assert.ThrowsAsync<IceException>(() => connect);
        Assert.Equal(IceFailureReason.ConnectTimeout, error.Reason);
        Assert.Contains("within 5 s", error.Message);

        await a.Closed.WaitAsync(Wait);
        Assert.Equal(0, host.OpenSocketCount);
        Assert.Equal(0, f.Clock.ActiveTimers);
        Assert.Equal(IceConnectionState.Failed, a.ConnectionState);
        await a.DisposeAsync(); // idempotent after failure
    }

    [Fact]
    public async Task Consent_loss_must_close_the_connection_with_the_ICE_error_and_release_everything()
    {
        var f = new Fixture();
        var hostA = f.Network.AddHost("10.0.0.1");
        var a = new IceAgent(f.Options(IceRole.Controlling), hostA);
        var b = new IceAgent(f.Options(IceRole.Controlled), f.Network.AddHost("10.0.0.2"));
        Wire(a, b);
        await a.StartAsync();
        await b.StartAsync();
        var connect = a.ConnectAsync();
        await f.DriveAsync(() => connect.IsCompleted && b.ConnectionState == IceConnectionState.Connected, TimeSpan.FromSeconds(5));
        var connection = await connect;
        var pendingReceive = connection.ReceiveAsync(new byte[100]).AsTask();

        f.Network.Filter = _ => false;
        await f.DriveAsync(() => a.ConnectionState == IceConnectionState.Failed, TimeSpan.FromSeconds(35), TimeSpan.FromMilliseconds(250));

        var closed = await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => pendingReceive.WaitAsync(Wait));
        var cause = Assert.IsType<IceException>(closed.InnerException);
        Assert.Equal(IceFailureReason.ConsentExpired, cause.Reason);
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => connection.SendAsync(new byte[] { 22 }).AsTask());
        await a.Closed.WaitAsync(Wait);
        Assert.Equal(0, hostA.OpenSocketCount);
        await b.DisposeAsync();
        Assert.Equal(0, f.Clock.ActiveTimers);
    }

    [Fact]
    public async Task Dispose_before_connecting_must_fail_the_connect_and_release_everything()
    {
        var f = new Fixture();
        var host = f.Network.AddHost("10.0.0.1");
        var a = new IceAgent(f.Options(IceRole.Controlling), host);
        await a.StartAsync();
        var connect = a.ConnectAsync();
        await a.DisposeAsync();

        var error = await Assert.ThrowsAsync<IceException>(() => connect);
        Assert.Equal(IceFailureReason.Closed, error.Reason);
        Assert.Equal(0, host.OpenSocketCount);
        Assert.Equal(0, f.Clock.ActiveTimers);
        Assert.True(a.Closed.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => a.StartAsync());
    }

    [Fact]
    public async Task No_usable_address_must_fail_with_a_network_error()
    {
        var f = new Fixture();
        var a = new IceAgent(f.Options(IceRole.Controlling) with { LocalAddresses = [IPAddress.Parse("10.7.7.7")] }, f.Network.AddHost("10.0.0.1"));
        await a.StartAsync();
        var error = await Assert.ThrowsAsync<IceException>(() => a.ConnectAsync().WaitAsync(Wait));
        Assert.Equal(IceFailureReason.Network, error.Reason);
        Assert.Contains("no usable local address", error.Message);
        await a.Closed.WaitAsync(Wait);
        Assert.Equal(0, f.Clock.ActiveTimers);
    }

    [Fact]
    public async Task Agent_must_gather_a_server_reflexive_candidate_from_a_STUN_server()
    {
        var f = new Fixture();
        await using var server = new VirtualStunServer(f.Network, "198.51.100.1");
        var host = f.Network.AddHostBehindNat("192.168.1.10", "203.0.113.10");
        await using var a = new IceAgent(f.Options(IceRole.Controlling) with { StunServers = [server.Url] }, host);
        var gathered = new List<IceCandidate>();
        a.LocalCandidateGathered += gathered.Add;
        await a.StartAsync();
        await f.DriveAsync(() => a.GatheringCompletion.IsCompleted, TimeSpan.FromSeconds(5));

        Assert.Equal([IceCandidateType.Host, IceCandidateType.ServerReflexive], gathered.Select(c => c.Type));
        Assert.Equal("203.0.113.10", gathered[1].Address);
        Assert.Equal(1, server.RequestsServed);
    }

    [Fact]
    public async Task An_mDNS_host_candidate_must_be_resolved_and_used()
    {
        var f = new Fixture();
        var a = new IceAgent(f.Options(IceRole.Controlling) with
        {
            ResolveHostName = (name, _) => Task.FromResult(name == "b-host.local" ? new[] { IPAddress.Parse("10.0.0.2") } : []),
        }, f.Network.AddHost("10.0.0.1"));
        var b = new IceAgent(f.Options(IceRole.Controlled), f.Network.AddHost("10.0.0.2"));
        // B publishes its host candidate under an mDNS name, as Chromium does.
        Wire(a, b, c => new IceCandidate(c.Foundation, c.Component, c.Transport, c.Priority, "b-host.local", c.Port, c.Type));
        await a.StartAsync();
        await b.StartAsync();
        var connect = a.ConnectAsync();
        await f.DriveAsync(() => connect.IsCompleted, TimeSpan.FromSeconds(5));
        await connect;

        Assert.Equal(IceCandidateType.Host, a.SelectedPair!.Remote.Type);
        Assert.Equal("b-host.local", a.SelectedPair.Remote.Address);
        Assert.Equal(IPEndPoint.Parse("10.0.0.2:40000"), a.SelectedPair.RemoteEndPoint);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Remote_names_must_be_resolved_only_when_they_are_local_and_only_up_to_the_cap()
    {
        var f = new Fixture();
        var asked = new List<string>();
        var a = new IceAgent(f.Options(IceRole.Controlling) with
        {
            MaxNameResolutions = 3,
            ResolveHostName = (name, _) =>
            {
                lock (asked) asked.Add(name);
                return Task.FromResult(Array.Empty<IPAddress>());
            },
        }, f.Network.AddHost("10.0.0.1"));
        await a.StartAsync();

        // A remote signalling peer names hosts of its choosing: none of them may reach the system resolver.
        a.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 2122260223 tracker.example.com 5000 typ host"));
        for (var i = 0; i < 10; i++)
            a.AddRemoteCandidate(IceCandidate.Parse($"candidate:{i + 2} 1 udp 2122260223 peer-{i}.local 5000 typ host"));

        lock (asked) Assert.Equal(["peer-0.local", "peer-1.local", "peer-2.local"], asked);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task An_unresolvable_mDNS_candidate_must_not_prevent_connecting_through_peer_reflexive_discovery()
    {
        var f = new Fixture();
        var a = new IceAgent(f.Options(IceRole.Controlling) with
        {
            ResolveHostName = (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)),
        }, f.Network.AddHost("10.0.0.1"));
        var b = new IceAgent(f.Options(IceRole.Controlled), f.Network.AddHost("10.0.0.2"));
        Wire(a, b, c => new IceCandidate(c.Foundation, c.Component, c.Transport, c.Priority, "nobody-knows.local", c.Port, c.Type));
        await a.StartAsync();
        await b.StartAsync();
        var connect = a.ConnectAsync();
        await f.DriveAsync(() => connect.IsCompleted, TimeSpan.FromSeconds(5));
        await connect;

        Assert.Equal(IceCandidateType.PeerReflexive, a.SelectedPair!.Remote.Type);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(0, f.Network.OpenSocketCount);
    }
}
