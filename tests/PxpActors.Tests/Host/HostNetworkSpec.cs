using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using PxpActors.TestSupport.Host;

namespace PxpActors.Tests.Host;

/// <summary>
/// Ten host processes on loopback grow a network out of one bootstrap address: each keeps three peers with
/// getNewPeer (<c>--peers 3</c>), over real TCP to the bootstrap node and real WebRTC upgrades between the others.
/// Who is connected to whom is read off the documented <c>--json</c> events only: every host says its name with
/// <c>--send</c> on each new application connection, so each <c>data</c> event is one end of an edge.
/// </summary>
public sealed partial class HostNetworkSpec
{
    private const int Hosts = 10;
    private const int TargetPeers = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Ten_hosts_with_peers_3_must_form_one_connected_network_from_one_bootstrap_address()
    {
        var hosts = new List<HostProcess>();
        try
        {
            var bootstrap = Start(hosts, 0, []);
            var address = await bootstrap.ListeningAsync(TimeSpan.FromSeconds(60));
            for (var i = 1; i < Hosts; i++) Start(hosts, i, ["--connect", address.ToString()]);

            var network = await ObserveUntilFormedAsync(hosts);

            Assert.True(network.IsConnected, network.Describe());
            Assert.All(Enumerable.Range(0, Hosts), i => Assert.True(network.Heard[i].Count >= TargetPeers, network.Describe()));
            // Only the bootstrap node is dialled over TCP: every other host found the rest through getNewPeer.
            Assert.All(Enumerable.Range(1, Hosts - 1), i => Assert.True(network.WebRtcPeers[i] >= TargetPeers - 1, network.Describe()));
            Assert.All(hosts, host => Assert.True(host.Peers >= TargetPeers, network.Describe()));
        }
        finally
        {
            await Task.WhenAll(hosts.Select(host => host.DisposeAsync().AsTask()));
        }
    }

    private static HostProcess Start(List<HostProcess> hosts, int index, string[] connect)
    {
        var host = HostProcess.Start([
            "--json", "--network", "ten-hosts", "--listen", "tcp://127.0.0.1:0", "--peers", TargetPeers.ToString(),
            "--send", Name(index), "--status", "0", .. connect]);
        hosts.Add(host);
        return host;
    }

    private static string Name(int index) => $"host-{index};";

    /// <summary>Reads every host's peer and data events until each host has heard from its target and the graph is connected.</summary>
    private static async Task<Network> ObserveUntilFormedAsync(IReadOnlyList<HostProcess> hosts)
    {
        var network = new Network(hosts.Count);
        var seen = Channel.CreateUnbounded<(int Host, JsonElement Event)>();
        using var deadline = new CancellationTokenSource(Patience);
        var readers = hosts.Select((host, i) => ReadEventsAsync(host, i, seen.Writer, deadline.Token)).ToArray();
        try
        {
            while (!network.IsFormed(TargetPeers))
            {
                (int host, JsonElement e) observed;
                try
                {
                    observed = await seen.Reader.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"the network did not form in {Patience}: {network.Describe()}; stderr of the hosts:\n" +
                        string.Join("\n", hosts.Select((h, i) => $"host-{i}: {Tail(h.StandardError)}")));
                }
                network.Observe(observed.host, observed.e);
            }
            return network;
        }
        finally
        {
            await deadline.CancelAsync();
            await Task.WhenAll(readers);
        }
    }

    private static async Task ReadEventsAsync(HostProcess host, int index, ChannelWriter<(int, JsonElement)> seen, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
                seen.TryWrite((index, await host.NextEventAsync(["peer", "data"], Patience).WaitAsync(stop)));
        }
        catch (OperationCanceledException)
        {
            // The observation is over.
        }
        catch (InvalidOperationException exited)
        {
            seen.TryWrite((index, JsonSerializer.SerializeToElement(new { @event = "exited", message = exited.Message })));
        }
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    [GeneratedRegex(@"host-(\d+);")]
    private static partial Regex HostName();

    /// <summary>The graph as the hosts' events describe it.</summary>
    private sealed class Network(int size)
    {
        public HashSet<int>[] Heard { get; } = [.. Enumerable.Range(0, size).Select(_ => new HashSet<int>())];
        public int[] WebRtcPeers { get; } = new int[size];
        private readonly List<string> _exits = [];

        public void Observe(int host, JsonElement e)
        {
            switch (e.GetProperty("event").GetString())
            {
                case "peer" when e.GetProperty("transport").GetString() == "webrtc":
                    WebRtcPeers[host]++;
                    break;
                case "data":
                    foreach (Match name in HostName().Matches(e.GetProperty("text").GetString()!))
                    {
                        var other = int.Parse(name.Groups[1].Value);
                        Heard[host].Add(other);
                        Heard[other].Add(host);
                    }
                    break;
                case "exited":
                    _exits.Add($"host-{host}: {e.GetProperty("message").GetString()}");
                    throw new InvalidOperationException(Describe());
            }
        }

        public bool IsFormed(int target) =>
            Heard.All(peers => peers.Count >= target) && WebRtcPeers.Skip(1).All(n => n >= target - 1) && IsConnected;

        public bool IsConnected
        {
            get
            {
                var reached = new HashSet<int> { 0 };
                var frontier = new Queue<int>([0]);
                while (frontier.TryDequeue(out var next))
                    foreach (var peer in Heard[next])
                        if (reached.Add(peer)) frontier.Enqueue(peer);
                return reached.Count == Heard.Length;
            }
        }

        public string Describe() =>
            string.Join(", ", Heard.Select((peers, i) => $"host-{i} ↔ [{string.Join(" ", peers.Order())}] webrtc {WebRtcPeers[i]}")) +
            (_exits.Count > 0 ? "; exits: " + string.Join("; ", _exits) : "");
    }
}
