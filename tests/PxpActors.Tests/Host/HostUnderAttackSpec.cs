using System.Net.Sockets;
using System.Text;
using Akka.Configuration;
using PxpActors.Host;
using PxpActors.Host.CommandLine;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.BadInput;
using PxpActors.TestSupport.Host;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Host;

/// <summary>
/// The standalone host against hostile behaviour, each case found by an attack on a real host: it must keep serving
/// healthy peers, stay within its budget, and never die. Runs alone: it measures a process and floods sockets.
/// </summary>
[Collection(nameof(SocketCounting))]
public sealed class HostUnderAttackSpec(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Host_under_a_low_file_limit_must_survive_a_connection_flood_and_serve_a_fresh_peer()
    {
        await using var host = HostProcess.Start(fileLimit: 1024, "--json", "--network", "test", "--listen", "tcp://127.0.0.1:0");
        var address = new Uri((await host.NextEventAsync("listening")).GetProperty("url").GetString()!);

        // More idle connections than the host has descriptors: those past its connection cap are closed at once.
        var flood = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 1400; i++)
            {
                var client = new TcpClient();
                flood.Add(client);
                try
                {
                    await client.ConnectAsync(address.Host, address.Port);
                }
                catch (SocketException)
                {
                    // The backlog was full for a moment: the host is busy closing what it refused.
                }
            }
            if (host.HasExited) Assert.Fail($"the host died during the flood:\n{host.StandardError}\n{string.Join("\n", host.LinesNotJson.Take(40))}");
        }
        finally
        {
            foreach (var client in flood) client.Dispose();
        }

        // The flood is gone: a fresh peer is served, and the host is still the same process.
        RawPxpPeer fresh;
        try
        {
            fresh = await ConnectWhenAdmittedAsync(address);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"no fresh peer served ({e.Message}); host exited: {host.HasExited}\n" +
                $"{(host.HasExited ? host.StandardError : "")}\n{string.Join("\n", host.LinesNotJson.Take(60))}");
        }
        await using var _ = fresh;
        await fresh.SendRpcAsync(new GetPeers("g", "test"));
        Assert.True(Replies.ReadCandidates((await fresh.ReceiveAsync<Response>(r => r.Nonce == "g")).Args).IsSuccess);
        Assert.False(host.HasExited);

        host.Terminate();
        await host.NextEventAsync("closed");
        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.DoesNotContain("Out of memory", host.StandardError);
        Assert.True(host.LinesNotJson.Count == 0, string.Join("\n", host.LinesNotJson.Take(40)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Peers_filling_unclaimed_substreams_must_not_raise_the_hosts_memory_past_its_budget(int attackers)
    {
        const int sessionBuffer = 16 * 1024 * 1024; // the default pxp.multiplexer.session-buffer
        await using var host = HostProcess.Start("--json", "--network", "test", "--listen", "tcp://127.0.0.1:0");
        var address = new Uri((await host.NextEventAsync("listening")).GetProperty("url").GetString()!);
        await using var healthy = await RawPxpPeer.ConnectAsync(address);
        await healthy.StartSessionAsync("test");
        await healthy.ReceiveAsync<Hello>();
        var residentBefore = host.StatusKiB("VmRSS");

        // Each opens 1,000 substreams nobody claims and fills each to just under its own bound (255 MB in all):
        // without a session budget, each attacker raised the host's memory by about 252 MB.
        var attacks = Enumerable.Range(0, attackers).Select(async _ =>
        {
            await using var attacker = await RawPxpPeer.ConnectAsync(address);
            await attacker.StartSessionAsync("test");
            try
            {
                var chunk = new byte[51 * 1024];
                for (uint channel = 1; channel <= 1000; channel++)
                {
                    await attacker.SendFrameAsync(channel, FrameType.Open, Encoding.UTF8.GetBytes($"unclaimed-{channel}"));
                    for (var frame = 0; frame < 5; frame++) await attacker.SendFrameAsync(channel, FrameType.DataFromCreator, chunk);
                }
            }
            catch (IOException)
            {
                // Closed by the host: the expected end of the attack.
            }
            await attacker.WaitClosedAsync(Timeout);
        }).ToList();
        await Task.WhenAll(attacks);

        var peakRise = (host.StatusKiB("VmHWM") - residentBefore) * 1024;
        output.WriteLine($"{attackers} attacker(s): resident {residentBefore / 1024} MiB before, peak rise {peakRise / (1024 * 1024)} MiB");
        // The budget (a session buffer per attacker), plus room for the runtime's own growth: far under the 252 MB per attacker it was.
        Assert.True(peakRise < attackers * sessionBuffer + 96L * 1024 * 1024,
            $"the host's peak memory rose by {peakRise / (1024 * 1024)} MiB under {attackers} attacker(s)");
        await healthy.SendRpcAsync(new GetPeers("after", "test"));
        Assert.True(Replies.ReadCandidates((await healthy.ReceiveAsync<Response>(r => r.Nonce == "after")).Args).IsSuccess);
    }

    [Fact]
    public async Task Host_must_keep_nothing_per_closed_application_connection()
    {
        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var options = new HostCommandLine().Parse(["--json", "--network", "test", "--listen", "tcp://127.0.0.1:0", "--echo"], TextWriter.Null)!;
        var config = HostConfig.Create(options, ConfigurationFactory.ParseString("pxp-host { network = test, listen = [], connect = [] }"));
        var host = new NodeHost(options, config, output);
        var running = host.RunAsync(stop.Token);
        await Condition.UntilAsync(() => output.Url is not null, "the host never said where it listens", Timeout);

        await using (var client = new PeerExchange("test"))
        {
            var streams = new List<Stream>();
            for (var i = 0; i < 50; i++)
            {
                var stream = (await client.ConnectAsync(output.Url!)).OpenStream();
                streams.Add(stream);
                await stream.WriteAsync("x"u8.ToArray());
                Assert.Equal("x", Encoding.UTF8.GetString(await stream.ReadExactlyAsync(1)));
            }
            Assert.Equal(50, host.ServingConnections);
            foreach (var stream in streams) await stream.DisposeAsync();
        }
        await Condition.UntilAsync(() => host.ServingConnections == 0,
            $"the host still keeps {host.ServingConnections} finished connections", Timeout);
        await stop.CancelAsync();
        await running;
    }

    /// <summary>Sessions of the flood close as the host reads their end: until then a fresh peer may still be refused.</summary>
    private static async Task<RawPxpPeer> ConnectWhenAdmittedAsync(Uri address)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var peer = await RawPxpPeer.ConnectAsync(address);
            try
            {
                // A connection refused at accept may already be closed when we write (broken pipe) or read.
                await peer.StartSessionAsync("test");
                await peer.ReceiveAsync<Hello>(timeout: TimeSpan.FromSeconds(5));
                return peer;
            }
            catch (Exception e) when (e is IOException && DateTime.UtcNow < deadline)
            {
                await peer.DisposeAsync(); // refused: the host closed it without a hello
            }
        }
    }

    /// <summary>The host's output, remembering the URL of its listening event.</summary>
    private sealed class LineWriter : StringWriter
    {
        private volatile Uri? _url;

        public Uri? Url => _url;

        public override void WriteLine(string? value)
        {
            if (value?.Contains("\"listening\"") == true)
                _url = new Uri(System.Text.Json.JsonDocument.Parse(value).RootElement.GetProperty("url").GetString()!);
        }
    }
}
