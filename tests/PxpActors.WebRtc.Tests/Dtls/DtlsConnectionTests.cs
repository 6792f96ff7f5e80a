using Microsoft.Extensions.Time.Testing;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DtlsConnection_must_handshake_over_a_clean_path_and_carry_datagrams_both_ways()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 1, autoDeliver: true);

        var (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());

        Assert.Equal(peers.ServerCertificate.Fingerprint, client.RemoteFingerprint);
        Assert.Equal(peers.ClientCertificate.Fingerprint, server.RemoteFingerprint);
        Assert.InRange(client.MaxDatagramSize, 1000, DatagramBridge.DefaultMaxDatagramSize - 13);
        await AssertExchangeAsync(client, server);
        await AssertExchangeAsync(server, client);

        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_handshake_despite_20_percent_loss_and_reordering()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 7);
        bridge.SetLossRate(0.2);
        DtlsConnection client, server;
        await using (new BridgePump(bridge))
        {
            (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());
        }
        Assert.True(bridge.LeftToRight.DroppedCount + bridge.RightToLeft.DroppedCount > 0, "the loss was exercised");

        bridge.SetLossRate(0);
        bridge.AutoDeliver = true;
        await AssertExchangeAsync(client, server);
        await AssertExchangeAsync(server, client);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_client_must_reject_a_server_certificate_that_does_not_match_its_fingerprint()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 2, autoDeliver: true);

        var clientTask = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client(expectedServer: DtlsTestPeers.Unrelated));
        var serverTask = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server());

        var mismatch = await Assert.ThrowsAsync<DtlsFingerprintMismatchException>(() => clientTask.WaitAsync(Patience));
        Assert.Equal(DtlsTestPeers.Unrelated, mismatch.Expected);
        Assert.Equal(peers.ServerCertificate.Fingerprint, mismatch.Actual);
        var serverError = await Assert.ThrowsAsync<DtlsException>(() => serverTask.WaitAsync(Patience));
        Assert.Contains("bad_certificate", serverError.Message);
        Assert.True(bridge.Left.IsClosed && bridge.Right.IsClosed, "both failed handshakes released their paths");
    }

    [Fact]
    public async Task DtlsConnection_server_must_reject_a_client_certificate_that_does_not_match_its_fingerprint()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 3, autoDeliver: true);

        var clientTask = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client());
        var serverTask = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server(expectedClient: DtlsTestPeers.Unrelated));

        var mismatch = await Assert.ThrowsAsync<DtlsFingerprintMismatchException>(() => serverTask.WaitAsync(Patience));
        Assert.Equal(peers.ClientCertificate.Fingerprint, mismatch.Actual);
        var clientError = await Assert.ThrowsAsync<DtlsException>(() => clientTask.WaitAsync(Patience));
        Assert.Contains("bad_certificate", clientError.Message);
    }

    [Fact]
    public async Task DtlsConnection_must_fail_both_sides_when_both_fingerprints_are_wrong()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 4, autoDeliver: true);

        var clientTask = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client(expectedServer: DtlsTestPeers.Unrelated));
        var serverTask = DtlsConnection.HandshakeAsync(bridge.Right, peers.Server(expectedClient: DtlsTestPeers.Unrelated));

        // The client checks first (the server's certificate arrives in flight 4), so it is the one that detects it.
        await Assert.ThrowsAsync<DtlsFingerprintMismatchException>(() => clientTask.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<DtlsException>(() => serverTask.WaitAsync(Patience));
    }

    [Fact]
    public async Task DtlsConnection_must_time_out_on_the_injected_clock_when_the_peer_never_answers()
    {
        var peers = new DtlsTestPeers { Settings = DtlsSettings.Default with { HandshakeTimeout = TimeSpan.FromSeconds(10) } };
        var clock = new FakeTimeProvider();
        var bridge = new DatagramBridge(seed: 5); // nothing is ever delivered
        var handshake = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client(), clock);

        await bridge.LeftToRight.WaitForHeldAsync(1).WaitAsync(Patience); // the ClientHello went out
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(handshake.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var timeout = await Assert.ThrowsAsync<DtlsHandshakeTimeoutException>(() => handshake.WaitAsync(Patience));
        Assert.Equal(TimeSpan.FromSeconds(10), timeout.Timeout);
        Assert.True(bridge.Left.IsClosed, "the path below was released");
    }

    [Fact]
    public async Task DtlsConnection_must_end_its_thread_and_pump_and_close_its_path_on_dispose()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 6, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());
        Assert.True(client.IsWorkerAlive && client.IsPumpRunning);

        await client.DisposeAsync();

        Assert.False(client.IsWorkerAlive, "the BouncyCastle thread ended");
        Assert.False(client.IsPumpRunning, "the pump task ended");
        Assert.True(bridge.Left.IsClosed, "the path below was disposed");
        await client.Completion.WaitAsync(Patience); // an orderly close completes without fault
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => client.SendAsync(new byte[1]).AsTask());

        // The peer got close_notify: it ends normally and its receivers learn the path is closed.
        await server.Completion.WaitAsync(Patience);
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => server.ReceiveAsync(new byte[64]).AsTask().WaitAsync(Patience));
        await server.DisposeAsync();
        Assert.False(server.IsWorkerAlive);
        Assert.False(server.IsPumpRunning);
        Assert.True(bridge.Right.IsClosed);
    }

    [Fact]
    public async Task DtlsConnection_must_release_everything_when_disposed_mid_handshake()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 8); // held forever: the handshake cannot finish
        using var cancel = new CancellationTokenSource();
        var handshake = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client(), cancellationToken: cancel.Token);
        await bridge.LeftToRight.WaitForHeldAsync(1).WaitAsync(Patience);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(Patience));
        Assert.True(bridge.Left.IsClosed);
    }

    [Fact]
    public async Task DtlsConnection_must_fail_with_a_clear_error_when_the_path_below_closes()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 9, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());

        await bridge.Left.DisposeAsync();

        var error = await Assert.ThrowsAsync<DtlsException>(() => client.Completion.WaitAsync(Patience));
        Assert.Contains("path below DTLS closed", error.Message);
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => client.ReceiveAsync(new byte[64]).AsTask());
        await client.DisposeAsync();
        Assert.False(client.IsWorkerAlive);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_refuse_a_datagram_larger_than_one_record_and_stay_usable()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 10, autoDeliver: true);
        var (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new byte[client.MaxDatagramSize + 1]).AsTask());

        var largest = new byte[client.MaxDatagramSize];
        Random.Shared.NextBytes(largest);
        await client.SendAsync(largest);
        var received = new byte[largest.Length];
        Assert.Equal(largest.Length, await server.ReceiveAsync(received).AsTask().WaitAsync(Patience));
        Assert.Equal(largest, received);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task DtlsConnection_must_drop_forged_and_garbage_datagrams_without_failing()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 13, autoDeliver: true);
        // Garbage before the handshake: not a DTLS record, and a truncated one.
        await bridge.Left.SendAsync(new byte[] { 0xff, 1, 2, 3 });
        await bridge.Left.SendAsync(new byte[] { 22, 0xfe, 0xfd, 0, 0 });
        var (client, server) = await HandshakeBothAsync(bridge, peers.Client(), peers.Server());

        // A forged application_data record in the live epoch: it fails authentication and must be dropped.
        var forged = new byte[13 + 40];
        Random.Shared.NextBytes(forged);
        forged[0] = 23; forged[1] = 0xfe; forged[2] = 0xfd; forged[3] = 0; forged[4] = 1; forged[11] = 0; forged[12] = 40;
        await bridge.Left.SendAsync(forged);
        await bridge.Left.SendAsync(new byte[] { 23, 0xfe, 0xfd, 0, 1 });

        await AssertExchangeAsync(client, server);
        await AssertExchangeAsync(server, client);
        Assert.False(server.Completion.IsCompleted);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    private static async Task<(DtlsConnection Client, DtlsConnection Server)> HandshakeBothAsync(
        DatagramBridge bridge, DtlsHandshakeParameters client, DtlsHandshakeParameters server)
    {
        var clientTask = DtlsConnection.HandshakeAsync(bridge.Left, client);
        var serverTask = DtlsConnection.HandshakeAsync(bridge.Right, server);
        await Task.WhenAll(clientTask, serverTask).WaitAsync(Patience);
        return (clientTask.Result, serverTask.Result);
    }

    private static async Task AssertExchangeAsync(DtlsConnection from, DtlsConnection to)
    {
        var payload = Guid.NewGuid().ToByteArray();
        await from.SendAsync(payload);
        var buffer = new byte[from.MaxDatagramSize];
        var length = await to.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal(payload, buffer[..length]);
    }
}
