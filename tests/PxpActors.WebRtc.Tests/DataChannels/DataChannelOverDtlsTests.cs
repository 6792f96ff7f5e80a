using System.Security.Cryptography;
using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.DataChannels;

/// <summary>The full lower stack of issue 3 + 4 minus ICE: data channels over SCTP over our DTLS over the bridge (RFC 8261).</summary>
public sealed class DataChannelOverDtlsTests
{
    [Fact]
    public async Task DataChannel_must_carry_messages_over_SCTP_over_DTLS_and_close_cleanly()
    {
        var ct = DataChannelPair.Deadline();
        var bridge = new DatagramBridge(seed: 3, autoDeliver: true);
        var clientCertificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1));
        var serverCertificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1));
        var dtlsTasks = new[]
        {
            DtlsConnection.HandshakeAsync(bridge.Left, new DtlsHandshakeParameters(DtlsRole.Client, clientCertificate, serverCertificate.Fingerprint), cancellationToken: ct),
            DtlsConnection.HandshakeAsync(bridge.Right, new DtlsHandshakeParameters(DtlsRole.Server, serverCertificate, clientCertificate.Fingerprint), cancellationToken: ct),
        };
        var dtls = await Task.WhenAll(dtlsTasks);
        var sctpClient = new SctpTransport(dtls[0], DataChannelPair.FastOptions);
        var sctpServer = new SctpTransport(dtls[1], DataChannelPair.FastOptions);
        Assert.True(sctpClient.Options.MaxPacketSize <= dtls[0].MaxDatagramSize);
        await Task.WhenAll(sctpClient.ConnectAsync(ct), sctpServer.ConnectAsync(ct));
        await using var client = new DataChannelEndpoint(sctpClient, DtlsRole.Client);
        await using var server = new DataChannelEndpoint(sctpServer, DtlsRole.Server);

        var ours = await client.CreateDataChannelAsync("over-dtls", cancellationToken: ct);
        var theirs = await server.AcceptDataChannelAsync(ct);
        var big = RandomNumberGenerator.GetBytes(256 * 1024);
        await ours.SendAsync(big, ct);
        Assert.Equal(big, (await theirs.ReceiveAsync(ct))!.Data.ToArray());
        await theirs.SendAsync("thanks", ct);
        Assert.Equal("thanks", (await ours.ReceiveAsync(ct))!.Text);

        await theirs.CloseAsync(ct);
        await ours.Completion.WaitAsync(ct);
        await client.ShutdownAsync(ct);
        await server.Completion.WaitAsync(ct);
    }
}
