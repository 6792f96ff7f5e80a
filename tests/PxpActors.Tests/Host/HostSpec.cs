using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PxpActors.TestSupport.Host;
using PxpActors.TestSupport.Tls;

namespace PxpActors.Tests.Host;

/// <summary>The host's command-line contract (README, "The standalone node"), exercised on real processes and sockets.</summary>
public sealed class HostSpec
{
    [Theory]
    [InlineData("tcp://127.0.0.1:0", "tcp")]
    [InlineData("ws://127.0.0.1:0/pxp", "ws")]
    public async Task Two_hosts_must_connect_send_echo_and_report_every_event_as_json(string listen, string transport)
    {
        await using var server = HostProcess.Start("--json", "--network", "host-test", "--listen", listen, "--echo");
        var listening = await server.NextEventAsync("listening");
        var url = listening.GetProperty("url").GetString()!;
        Assert.Matches(transport == "tcp" ? @"^tcp://127\.0\.0\.1:[1-9][0-9]*$" : @"^ws://127\.0\.0\.1:[1-9][0-9]*/pxp$", url);

        await using var client = HostProcess.Start("--json", "--network", "host-test", "--listen", "tcp://127.0.0.1:0",
            "--connect", url, "--send", "héllo");
        var peer = await client.NextEventAsync("peer");
        Assert.Equal(["event", "transport", "incoming", "peers"], peer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(transport, peer.GetProperty("transport").GetString());
        Assert.False(peer.GetProperty("incoming").GetBoolean());
        Assert.Equal(1, peer.GetProperty("peers").GetInt32());
        var connect = await client.NextEventAsync("connect");
        Assert.Equal(["event", "transport", "incoming"], connect.EnumerateObject().Select(p => p.Name));
        Assert.False(connect.GetProperty("incoming").GetBoolean());

        Assert.True((await server.NextEventAsync("peer")).GetProperty("incoming").GetBoolean());
        var data = await server.NextEventAsync("data");
        Assert.Equal(["event", "text"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("héllo", data.GetProperty("text").GetString());
        Assert.Equal("héllo", (await client.NextEventAsync("data")).GetProperty("text").GetString()); // echoed

        // SIGTERM with a peer connected: closed, exit 0, within a few seconds.
        var clock = Stopwatch.StartNew();
        client.Terminate();
        var closed = await client.NextEventAsync("closed");
        Assert.Equal(["event"], closed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the host took {clock.Elapsed} to close");
        var disconnect = await server.NextEventAsync("disconnect");
        Assert.Equal(["event", "peers"], disconnect.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, disconnect.GetProperty("peers").GetInt32());

        server.Interrupt();
        await server.NextEventAsync("closed");
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Empty(server.LinesNotJson);
        Assert.Empty(client.LinesNotJson);
    }

    [Fact]
    public async Task Help_must_describe_every_option_on_stdout_and_exit_0()
    {
        await using var host = HostProcess.Start("--help");
        Assert.Equal(0, await host.WaitForExitAsync());
        var help = string.Join("\n", host.LinesNotJson);
        foreach (var option in new[] { "--network <ID>", "--listen <URL>", "--connect <URL>", "--peers <N>", "--no-incoming",
                     "--ice-server <URL>", "--config <FILE>", "--echo", "--send <TEXT>", "--json", "--metrics <URL>", "--status <SECONDS>", "--help" })
            Assert.Contains(option, help);
        Assert.Equal("", host.StandardError);
    }

    [Theory]
    [InlineData("pxp: Unrecognized command or argument '--bogus'.", "--bogus")]
    [InlineData("pxp: Required argument missing for option: '--listen'.", "--listen")]
    [InlineData("pxp: --connect: nonsense is not a URL like tcp://HOST:PORT, ws://HOST:PORT/PATH or wss://HOST:PORT/PATH", "--connect", "nonsense")]
    [InlineData("pxp: --listen: unsupported scheme http:// (use tcp://HOST:PORT, ws://HOST:PORT/PATH or wss://HOST:PORT/PATH)", "--listen", "http://127.0.0.1:80/")]
    [InlineData("pxp: --listen: tcp://127.0.0.1 is not a URL like tcp://HOST:PORT, ws://HOST:PORT/PATH or wss://HOST:PORT/PATH", "--listen", "tcp://127.0.0.1")]
    [InlineData("pxp: --peers: -1 is not a whole number 0 or more", "--peers", "-1")]
    [InlineData("pxp: --peers: many is not a whole number 0 or more", "--peers", "many")]
    [InlineData("pxp: --ice-server: stun.example.org is not a STUN server like stun:HOST:PORT", "--ice-server", "stun.example.org")]
    [InlineData("pxp: --ice-server: stun:127.0.0.1:99999: port 99999 is not between 1 and 65535", "--ice-server", "stun:127.0.0.1:99999")]
    [InlineData("pxp: --metrics: 127.0.0.1:9464 is not a URL like http://HOST:PORT/metrics", "--metrics", "127.0.0.1:9464")]
    [InlineData("pxp: --status: soon is not a whole number 0 or more", "--status", "soon")]
    [InlineData("pxp: --network must not be empty", "--network", "")]
    [InlineData("pxp: --config: no such file /nonexistent.conf", "--config", "/nonexistent.conf")]
    public async Task Host_must_reject_bad_arguments_with_one_line_and_exit_2(string expected, params string[] args)
    {
        await using var host = HostProcess.Start(args);
        Assert.Equal(2, await host.WaitForExitAsync());
        Assert.Equal(expected, host.StandardError.TrimEnd('\n'));
        Assert.Empty(host.LinesNotJson);
    }

    [Theory]
    [InlineData("""pxp { relay-rate = "fast" }""", ": pxp.relay-rate = \"fast\" is not valid: expected a number like 50000")]
    [InlineData("pxp.handshake-timeout = forever", ": pxp.handshake-timeout = \"forever\" is not valid: expected a duration like 10s")]
    [InlineData("pxp.allow-incoming = maybe", ": pxp.allow-incoming = \"maybe\" is not valid: expected on or off")]
    [InlineData("""pxp-host { listen = [tcp://127.0.0.1:0] }""", " is not valid HOCON: ")]
    [InlineData("""pxp-host { listen = ["tcp:"] }""", ": pxp-host.listen: tcp: is not a URL like")]
    [InlineData("""pxp { limits { max-connections = 10 }, multiplexer = oops }""", " is not valid HOCON: ")]
    public async Task Host_must_reject_a_bad_config_file_with_one_line_and_exit_2(string hocon, string expected)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, hocon);
        try
        {
            await using var host = HostProcess.Start("--json", "--listen", "tcp://127.0.0.1:0", "--config", file);
            Assert.Equal(2, await host.WaitForExitAsync());
            var line = Assert.Single(host.StandardError.TrimEnd('\n').Split('\n'));
            Assert.StartsWith($"pxp: --config", line);
            Assert.Contains(expected, line);
            Assert.Empty(host.LinesNotJson);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task Host_must_refuse_a_busy_port_with_one_line_and_exit_2(string scheme)
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var url = scheme == "tcp" ? $"tcp://127.0.0.1:{port}" : $"ws://127.0.0.1:{port}/pxp";

        await using var host = HostProcess.Start("--json", "--listen", url);
        Assert.Equal(2, await host.WaitForExitAsync());
        Assert.Equal($"pxp: cannot listen on {url}: Address already in use", host.StandardError.TrimEnd('\n'));
        Assert.Empty(host.LinesNotJson); // no "closed": it never ran
    }

    [Theory]
    [InlineData("", "wss:// needs a certificate: set pxp.websocket.tls.certificate to a PEM or PKCS#12 file")]
    [InlineData("pxp.websocket.tls.certificate = \"/nonexistent/cert.pem\"", "pxp.websocket.tls.certificate: no such file /nonexistent/cert.pem")]
    [InlineData("pxp.websocket.tls.certificate = \"CERT-ONLY\"", "is not a certificate with its private key")]
    public async Task Host_must_refuse_a_missing_or_bad_certificate_for_wss_with_one_line_and_exit_2(string hocon, string expected)
    {
        using var certificate = TestCertificate.Create();
        var file = Path.Combine(certificate.Folder, "host.conf");
        await File.WriteAllTextAsync(file, hocon.Replace("CERT-ONLY", certificate.CertificateFile));

        await using var host = HostProcess.Start("--json", "--listen", "wss://127.0.0.1:0/pxp", "--config", file);
        Assert.Equal(2, await host.WaitForExitAsync());
        var line = Assert.Single(host.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("pxp: cannot listen on wss://127.0.0.1:0/pxp: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Host_must_serve_wss_with_a_configured_certificate()
    {
        using var certificate = TestCertificate.Create();
        var file = Path.Combine(certificate.Folder, "host.conf");
        await File.WriteAllTextAsync(file, certificate.Hocon);
        await using var server = HostProcess.Start("--json", "--listen", "wss://127.0.0.1:0/pxp", "--config", file, "--echo");
        var url = (await server.ListeningAsync()).ToString();
        Assert.StartsWith("wss://127.0.0.1:", url);

        await using var client = HostProcess.Start("--json", "--listen", "tcp://127.0.0.1:0", "--connect", url, "--config", file,
            "--send", "over tls");
        Assert.Equal("ws", (await client.NextEventAsync("peer")).GetProperty("transport").GetString());
        Assert.Equal("over tls", (await client.NextEventAsync("data")).GetProperty("text").GetString());
        client.Terminate();
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Host_must_report_a_failed_bootstrap_connect_as_an_error_event_and_keep_running()
    {
        await using var host = HostProcess.Start("--json", "--listen", "tcp://127.0.0.1:0", "--connect", "tcp://127.0.0.1:1");
        await host.NextEventAsync("listening");
        var error = await host.NextEventAsync("error");
        Assert.Equal(["event", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("connect to tcp://127.0.0.1:1/ failed", error.GetProperty("message").GetString());
        host.Terminate();
        await host.NextEventAsync("closed");
        Assert.Equal(0, await host.WaitForExitAsync());
    }

    [Fact]
    public async Task Host_must_read_its_network_from_a_config_file()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """pxp-host { network = "from-file", listen = ["tcp://127.0.0.1:0"] }""");
        try
        {
            await using var host = HostProcess.Start("--json", "--config", file);
            var url = (await host.NextEventAsync("listening")).GetProperty("url").GetString()!;
            await using var node = new PeerExchange("from-file");
            var connection = await node.ConnectAsync(new Uri(url)); // only a node on the same network gets this far
            Assert.Equal("tcp", connection.Transport);
            Assert.Equal(1, (await host.NextEventAsync("peer")).GetProperty("peers").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_json_the_host_must_print_log_lines_and_a_periodic_status_line()
    {
        await using var host = HostProcess.Start("--listen", "tcp://127.0.0.1:0", "--status", "1");
        var listening = await host.NextLineAsync(l => l.Contains("listening on tcp://127.0.0.1:"));
        Assert.Matches(@"^\d\d:\d\d:\d\d info: pxp\[0\] listening on tcp://127\.0\.0\.1:[1-9][0-9]*$", listening);
        var url = new Uri(listening[(listening.IndexOf("tcp://", StringComparison.Ordinal))..]);

        await using var node = new PeerExchange("pxp-demo");
        await node.ConnectAsync(url);
        await host.NextLineAsync(l => l.Contains("peer added over tcp (incoming); 1 peer(s)"));
        var status = await host.NextLineAsync(l => l.Contains("status: 1 peer(s)"));
        Assert.Matches(@"status: 1 peer\(s\) \(tcp 1\), \d+ relay\(s\), \d+(\.\d)? (B|KiB|MiB) in, \d+(\.\d)? (B|KiB|MiB) out, \d+ request\(s\), \d+ error\(s\)$", status);

        host.Terminate();
        await host.NextLineAsync(l => l.EndsWith("closed", StringComparison.Ordinal));
        Assert.Equal(0, await host.WaitForExitAsync());
    }

    [Fact]
    public async Task Without_json_a_flood_of_failing_connections_must_print_a_few_error_lines_not_one_each()
    {
        await using var host = HostProcess.Start("--listen", "tcp://127.0.0.1:0", "--status", "1");
        var listening = await host.NextLineAsync(l => l.Contains("listening on tcp://"));
        var url = new Uri(listening[listening.IndexOf("tcp://", StringComparison.Ordinal)..]);

        const int flood = 60;
        for (var i = 0; i < flood; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(url.Host, url.Port);
            await client.GetStream().WriteAsync("this is no PXP magic at all\n"u8.ToArray()); // the session fails at once
        }
        // The status line counts every session error; by then every error line the host would print is out.
        await host.NextLineAsync(l => System.Text.RegularExpressions.Regex.Match(l, @"(\d+) error\(s\)$") is { Success: true } m
            && int.Parse(m.Groups[1].Value) >= flood, TimeSpan.FromSeconds(30));

        var errorLines = host.LinesNotJson.Count(l => l.Contains(" error: "));
        Assert.InRange(errorLines, 1, 5);
        Assert.False(host.HasExited);
    }

    [Fact]
    public async Task Host_must_serve_prometheus_metrics_of_the_PxpActors_meter()
    {
        var port = FreePort();
        await using var host = HostProcess.Start("--json", "--listen", "tcp://127.0.0.1:0", "--metrics", $"http://127.0.0.1:{port}/metrics");
        var url = await host.ListeningAsync();
        await using var node = new PeerExchange("pxp-demo");
        var connection = await node.ConnectAsync(url);
        await node.GetPeersAsync(connection.Peer!);
        await host.NextEventAsync("peer");

        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("pxp_sessions{", text);
        Assert.Contains("pxp_handshakes_total{", text);
        Assert.Contains("pxp_handshake_duration_seconds_bucket{", text);
        Assert.Contains("pxp_requests_total{", text);
        Assert.Contains("service_name=\"pxp\"", text);
    }

    [Fact]
    public async Task Host_must_refuse_a_busy_metrics_port_with_one_line_and_exit_2()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        await using var host = HostProcess.Start("--json", "--listen", "tcp://127.0.0.1:0", "--metrics", $"http://127.0.0.1:{port}/metrics");
        Assert.Equal(2, await host.WaitForExitAsync());
        var line = Assert.Single(host.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"pxp: --metrics: cannot serve http://127.0.0.1:{port}/metrics: ", line);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
