using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// A DTLS connection made ready before its role, peer and path are known (a peer connection prepares it when it
/// starts): it handshakes like any other once told them, makes one handshake only, and ends its thread when unused.
/// </summary>
public sealed class DtlsPreparedConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Prepared_connections_must_handshake_in_either_role_and_carry_datagrams()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 21, autoDeliver: true);
        await using var preparedClient = DtlsConnection.Prepare(peers.ClientCertificate, peers.Settings);
        await using var preparedServer = DtlsConnection.Prepare(peers.ServerCertificate, peers.Settings);
        Assert.True(preparedClient.IsWorkerAlive && preparedServer.IsWorkerAlive);
        Assert.Equal(0, bridge.LeftToRight.SentCount + bridge.RightToLeft.SentCount);

        var clientTask = preparedClient.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Left), DtlsRole.Client,
            peers.ServerCertificate.Fingerprint);
        var serverTask = preparedServer.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Right), DtlsRole.Server,
            peers.ClientCertificate.Fingerprint);
        var client = await clientTask.WaitAsync(Patience);
        var server = await serverTask.WaitAsync(Patience);

        Assert.Equal(DtlsRole.Client, client.Role);
        Assert.Equal(DtlsRole.Server, server.Role);
        Assert.Equal(peers.ServerCertificate.Fingerprint, client.RemoteFingerprint);
        Assert.Equal(peers.ClientCertificate.Fingerprint, server.RemoteFingerprint);
        Assert.True(client.Negotiated!.ExtendedMasterSecret && server.Negotiated!.ExtendedMasterSecret);
        var payload = Guid.NewGuid().ToByteArray();
        await server.SendAsync(payload);
        var buffer = new byte[64];
        var length = await client.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal(payload, buffer[..length]);

        // Disposing the prepared connection once its handshake ran leaves the connection to its owner.
        await preparedClient.DisposeAsync();
        Assert.True(client.IsWorkerAlive);
        await client.DisposeAsync();
        await server.DisposeAsync();
        Assert.False(preparedClient.IsWorkerAlive || preparedServer.IsWorkerAlive, "the prepared threads were the connections' threads");
    }

    [Fact]
    public async Task Prepared_connection_disposed_unused_must_end_its_thread_and_refuse_a_handshake()
    {
        var peers = new DtlsTestPeers();
        var prepared = DtlsConnection.Prepare(peers.ClientCertificate, peers.Settings);
        Assert.True(prepared.IsWorkerAlive);

        await prepared.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.False(prepared.IsWorkerAlive, "the prepared thread ended");
        var bridge = new DatagramBridge(seed: 22, autoDeliver: true);
        Assert.Throws<ObjectDisposedException>(() =>
        {
            _ = prepared.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Left), DtlsRole.Client, peers.ServerCertificate.Fingerprint);
        });
        Assert.Equal(0, bridge.LeftToRight.SentCount);
    }

    [Fact]
    public async Task Prepared_connection_must_make_one_handshake_only()
    {
        var peers = new DtlsTestPeers();
        await using var prepared = DtlsConnection.Prepare(peers.ClientCertificate, peers.Settings);
        var path = new TaskCompletionSource<IDatagramConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var first = prepared.HandshakeAsync(path.Task, DtlsRole.Client, peers.ServerCertificate.Fingerprint, cancel.Token);

        Assert.Throws<InvalidOperationException>(() =>
        {
            _ = prepared.HandshakeAsync(path.Task, DtlsRole.Server, peers.ServerCertificate.Fingerprint);
        });

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Patience));
        Assert.False(prepared.IsWorkerAlive, "the abandoned handshake ended the prepared thread");
    }

    [Fact]
    public async Task Prepared_connection_must_fail_closed_on_a_certificate_that_does_not_match_the_fingerprint()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 23, autoDeliver: true);
        await using var preparedServer = DtlsConnection.Prepare(peers.ServerCertificate, peers.Settings);
        var clientTask = DtlsConnection.HandshakeAsync(bridge.Left, peers.Client());
        var serverTask = preparedServer.HandshakeAsync(Task.FromResult<IDatagramConnection>(bridge.Right), DtlsRole.Server, DtlsTestPeers.Unrelated);

        var mismatch = await Assert.ThrowsAsync<DtlsFingerprintMismatchException>(() => serverTask.WaitAsync(Patience));
        Assert.Equal(peers.ClientCertificate.Fingerprint, mismatch.Actual);
        await Assert.ThrowsAsync<DtlsException>(() => clientTask.WaitAsync(Patience));
        Assert.True(bridge.Left.IsClosed && bridge.Right.IsClosed, "both failed handshakes released their paths");
    }
}
