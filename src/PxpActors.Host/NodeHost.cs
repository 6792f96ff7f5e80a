using System.Text;
using PxpActors.Actors;

namespace PxpActors.Host;

/// <summary>Runs one node as the command line asked, until it is told to stop.</summary>
internal sealed class NodeHost(HostOptions options, HostOutput output)
{
    // Application connections being served; each leaves the set when it ends, so a long-lived host keeps nothing per closed one.
    private readonly HashSet<Task> _serving = [];

    /// <summary>Application connections being served now.</summary>
    internal int ServingConnections
    {
        get
        {
            lock (_serving) return _serving.Count;
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var exchange = new PeerExchange(options.Network, new PeerExchangeOptions
        {
            AllowIncoming = !options.NoIncoming,
            Config = options.Config,
        });
        exchange.PeerAdded += peer => output.Peer(peer.Transport, peer.Incoming, exchange.Peers.Count);
        exchange.PeerRemoved += (_, _) => output.Disconnect(exchange.Peers.Count);
        exchange.PeerError += (_, error) => output.Error(error.Message);
        exchange.Error += error => output.Error(error.Message);
        exchange.Connected += connection => Track(ServeAsync(connection, stop));

        try
        {
            foreach (var address in options.Listen)
                output.Listening(await exchange.ListenAsync(address, stop));
            foreach (var address in options.Connect)
            {
                try
                {
                    await exchange.AddPeerAsync(address, stop); // its connection comes to Connected, as incoming ones do
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    output.Error($"connect to {address} failed: {e.Message}");
                }
            }
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            await exchange.CloseAsync();
            Task[] serving;
            lock (_serving) serving = [.. _serving];
            await Task.WhenAll(serving);
            output.Closed();
        }
    }

    private void Track(Task serving)
    {
        lock (_serving) _serving.Add(serving);
        serving.ContinueWith(done =>
        {
            lock (_serving) _serving.Remove(done);
        }, TaskScheduler.Default);
    }

    /// <summary>One application connection: --send once, then report (and with --echo return) what arrives.</summary>
    private async Task ServeAsync(PxpConnection connection, CancellationToken stop)
    {
        output.Connect(connection.Transport, connection.Incoming);
        await using var stream = connection.OpenStream();
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            if (options.Send is not null) await stream.WriteAsync(Encoding.UTF8.GetBytes(options.Send), stop);
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                var chars = new char[decoder.GetCharCount(buffer, 0, read)];
                decoder.GetChars(buffer, 0, read, chars, 0);
                if (chars.Length > 0) output.Data(new string(chars));
                if (options.Echo) await stream.WriteAsync(buffer.AsMemory(0, read), stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The connection or the host is closing; nothing to report.
        }
    }
}
