using System.Text;
using Akka.Configuration;
using PxpActors.Tests.BadInput;
using PxpActors.Tests.Support;
using PxpActors.TestSupport.Tls;

namespace PxpActors.Tests.WebSocketSessions;

/// <summary>
/// PXP over WebSocket between two of our nodes on real sockets, ws:// and wss://: sessions, data both ways, certificates,
/// and every socket closed afterwards. Runs alone: it counts the process's open sockets.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class WebSocketTransportSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Nodes_must_connect_over_ws_exchange_data_both_ways_and_close_every_socket()
    {
        var socketsBefore = OpenSockets.Count();
        Uri address;
        await using (var server = await TestNode.StartAsync(listen: new Uri("ws://127.0.0.1:0/pxp")))
        await using (var client = new PeerExchange("test"))
        {
            address = server.Address;
            Assert.Matches(@"^ws://127\.0\.0\.1:[1-9][0-9]*/pxp$", address.ToString());

            var outgoing = await client.ConnectAsync(address);
            var incoming = await server.NextConnectionAsync();
            Assert.Equal("ws", outgoing.Transport);
            Assert.Equal("ws", incoming.Transport);
            Assert.True(incoming.Incoming);
            var peerAtServer = Assert.Single(server.Exchange.Peers);
            Assert.StartsWith("127.0.0.1:", peerAtServer.RemoteAddress);
            Assert.Equal($"127.0.0.1:{address.Port}", Assert.Single(client.Peers).RemoteAddress);

            await using var atClient = outgoing.OpenStream();
            await using var atServer = incoming.OpenStream();
            await AssertDataFlowsAsync(atClient, atServer);
        }
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);

        // The listener is gone with its node: nothing accepts there any more.
        await using var late = new PeerExchange("test");
        await Assert.ThrowsAsync<IOException>(() => late.ConnectAsync(address));
    }

    [Fact]
    public async Task A_peer_that_vanishes_must_end_its_session_and_free_its_socket()
    {
        await using var server = await TestNode.StartAsync(listen: new Uri("ws://127.0.0.1:0/"));
        var socketsBefore = OpenSockets.Count();
        var gate = new PxpActors.Resources.SocketGate(10);
        var transport = new PxpActors.Transports.WebSocket.WebSocketTransport(secure: false, gate: gate);

        // A peer upgrades and then is gone without a word (its process died): no close frame, the connection cut.
        var vanishing = await transport.ConnectAsync(server.Address);
        await server.WaitForSessionsAsync(1);
        Assert.Equal(1, gate.Open);
        await vanishing.DisposeAsync();

        Assert.Equal(0, gate.Open);
        await server.WaitForSessionsAsync(0);
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);
    }

    [Fact]
    public async Task Nodes_must_connect_over_wss_with_a_certificate_the_connecting_node_trusts()
    {
        using var certificate = TestCertificate.Create();
        var tls = new PeerExchangeOptions { Config = ConfigurationFactory.ParseString(certificate.Hocon) };
        var socketsBefore = OpenSockets.Count();
        await using (var server = await TestNode.StartAsync(options: tls, listen: new Uri("wss://127.0.0.1:0/pxp")))
        await using (var client = new PeerExchange("test", tls))
        {
            Assert.Equal("wss", server.Address.Scheme);
            var outgoing = await client.ConnectAsync(server.Address);
            var incoming = await server.NextConnectionAsync();
            Assert.Equal("ws", outgoing.Transport);
            await using var atClient = outgoing.OpenStream();
            await using var atServer = incoming.OpenStream();
            await AssertDataFlowsAsync(atClient, atServer);
        }
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);
    }

    [Fact]
    public async Task A_node_must_refuse_a_wss_peer_whose_certificate_it_does_not_trust_with_a_clear_error()
    {
        using var certificate = TestCertificate.Create();
        using var other = TestCertificate.Create("someone-else");
        var serverOptions = new PeerExchangeOptions { Config = ConfigurationFactory.ParseString(certificate.Hocon) };
        await using var server = await TestNode.StartAsync(options: serverOptions, listen: new Uri("wss://127.0.0.1:0/"));
        var socketsBefore = OpenSockets.Count();

        // Trusting nothing but the system's, and trusting another certificate: both refuse it.
        foreach (var config in new[] { "", $"pxp.websocket.tls.trusted-certificates = \"{other.CertificateFile}\"" })
        {
            await using var client = new PeerExchange("test", new PeerExchangeOptions { Config = ConfigurationFactory.ParseString(config) });
            var error = await Assert.ThrowsAsync<IOException>(() => client.ConnectAsync(server.Address));
            Assert.Contains("the server's TLS certificate is not trusted", error.Message);
            Assert.Empty(client.Peers);
        }
        Assert.Empty(server.Exchange.Peers);
        await OpenSockets.WaitForCountAsync(socketsBefore, Timeout);
    }

    [Theory]
    [InlineData("", "wss:// needs a certificate: set pxp.websocket.tls.certificate")]
    [InlineData("certificate = \"/nonexistent/cert.pem\"", "pxp.websocket.tls.certificate: no such file /nonexistent/cert.pem")]
    [InlineData("certificate = \"GARBAGE\"", "is not a certificate with its private key")]
    [InlineData("certificate = \"CERT-ONLY\"", "is not a certificate with its private key")]
    public async Task Listening_on_wss_must_fail_with_a_clear_error_without_a_usable_certificate(string tls, string expected)
    {
        using var certificate = TestCertificate.Create();
        var garbage = Path.Combine(certificate.Folder, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");
        var config = $"pxp.websocket.tls {{ {tls.Replace("GARBAGE", garbage).Replace("CERT-ONLY", certificate.CertificateFile)} }}";
        await using var node = new PeerExchange("test", new PeerExchangeOptions { Config = ConfigurationFactory.ParseString(config) });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => node.ListenAsync(new Uri("wss://127.0.0.1:0/")));
        Assert.Contains(expected, error.Message);
        Assert.Empty(node.ListenAddresses);
    }

    [Fact]
    public async Task A_ws_address_that_is_in_use_must_fail_to_listen_as_tcp_says_it()
    {
        await using var first = await TestNode.StartAsync(listen: new Uri("ws://127.0.0.1:0/"));
        await using var second = new PeerExchange("test");
        var error = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(
            () => second.ListenAsync(new Uri($"ws://127.0.0.1:{first.Address.Port}/")));
        Assert.Equal(System.Net.Sockets.SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    private static async Task AssertDataFlowsAsync(Stream a, Stream b)
    {
        await a.WriteAsync("ping over ws"u8.ToArray());
        Assert.Equal("ping over ws", Encoding.UTF8.GetString(await b.ReadExactlyAsync(12, Timeout)));
        var big = new byte[300 * 1024];
        Random.Shared.NextBytes(big);
        var writing = b.WriteAsync(big).AsTask();
        Assert.Equal(big, await a.ReadExactlyAsync(big.Length, Timeout));
        await writing;
    }
}
