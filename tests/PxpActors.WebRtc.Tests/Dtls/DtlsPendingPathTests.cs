using Microsoft.Extensions.Time.Testing;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// A handshake handed a path that is still being established (ICE checking): it is ready ahead, starts the
/// moment the path arrives, does not run its deadline before then, and keeps the path's own error and ownership.
/// </summary>
public sealed class DtlsPendingPathTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DtlsConnection_must_wait_for_a_pending_path_and_handshake_once_it_arrives()
    {
        var peers = new DtlsTestPeers { Settings = DtlsSettings.Default with { HandshakeTimeout = TimeSpan.FromSeconds(10) } };
        var clock = new FakeTimeProvider();
        var bridge = new DatagramBridge(seed: 11, autoDeliver: true);
        var clientPath = new TaskCompletionSource<IDatagramConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverPath = new TaskCompletionSource<IDatagramConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientHandshake = DtlsConnection.HandshakeAsync(clientPath.Task, peers.Client(), clock);
        var serverHandshake = DtlsConnection.HandshakeAsync(serverPath.Task, peers.Server(), clock);

        // ICE may take longer than the DTLS deadline: that deadline only starts with the path.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(clientHandshake.IsCompleted || serverHandshake.IsCompleted);
        Assert.Equal(0, bridge.LeftToRight.SentCount + bridge.RightToLeft.SentCount);

        serverPath.SetResult(bridge.Right);
        clientPath.SetResult(bridge.Left);
        var client = await clientHandshake.WaitAsync(Patience);
        var server = await serverHandshake.WaitAsync(Patience);

        var payload = Guid.NewGuid().ToByteArray();
        await client.SendAsync(payload);
        var buffer = new byte[64];
        var length = await server.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal(payload, buffer[..length]);
        await client.DisposeAsync();
        await server.DisposeAsync();
        Assert.True(bridge.Left.IsClosed && bridge.Right.IsClosed, "the paths that arrived late are owned and released");
    }

    [Fact]
    public async Task DtlsConnection_must_fail_with_the_paths_own_error_when_the_path_cannot_be_established()
    {
        var peers = new DtlsTestPeers();
        var path = new TaskCompletionSource<IDatagramConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handshake = DtlsConnection.HandshakeAsync(path.Task, peers.Client());
        var iceFailure = new IceException(IceFailureReason.AllPairsFailed, "every candidate pair failed");

        path.SetException(iceFailure);

        var thrown = await Assert.ThrowsAsync<IceException>(() => handshake.WaitAsync(Patience));
        Assert.Same(iceFailure, thrown);
    }

    [Fact]
    public async Task DtlsConnection_must_release_a_path_that_arrives_after_the_handshake_was_cancelled()
    {
        var peers = new DtlsTestPeers();
        var bridge = new DatagramBridge(seed: 12, autoDeliver: true);
        var path = new TaskCompletionSource<IDatagramConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var handshake = DtlsConnection.HandshakeAsync(path.Task, peers.Server(), cancellationToken: cancel.Token);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(Patience));
        Assert.False(bridge.Right.IsClosed);

        path.SetResult(bridge.Right);
        Assert.True(SpinWait.SpinUntil(() => bridge.Right.IsClosed, Patience), "the late path was disposed by its owner");
        Assert.Equal(0, bridge.RightToLeft.SentCount);
    }
}
