using System.Text;
using PxpActors.Actors;

namespace PxpActors.Host;

/// <summary>Runs one node as the command line asked, until it is told to stop.</summary>
internal sealed class NodeHost(HostOptions options, HostOutput output)
{
    private readonly List<Task> _connections = [];

    public async Task RunAsync(CancellationToken stop)
    {
        var exchange = new PeerExchange(options.Network, new PeerExchangeOptions
        {
            AllowIncoming = !options.NoIncoming,
            Config = options.Config,
        });
        exchange.PeerAdded += peer => output.Peer(peer.Transport, peer.Incoming, exchange.Peers.Count);
        exchange.PeerRemoved += _ => output.Disconnect(exchange.Peers.Count);
        exchange.PeerError += (_, error) => output.Error(error.Message);
        exchange.Error += error => output.Error(error.Message);
        exchange.Connected += connection =>
        {
            lock (_connections) _connections.Add(ServeAsync(exchange, connection, stop));
        };

        try
        {
            foreach (var address in options.Listen)
                output.Listening(await exchange.ListenAsync(address, stop));
            foreach (var address in options.Connect)
            {
                try
                {
                    await exchange.ConnectAsync(address, stop);
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
            lock (_connections) serving = [.. _connections];
            await Task.WhenAll(serving);
            output.Closed();
        }
    }

    /// <summary>One application connection: --send once, then report (and with --echo return) what arrives.</summary>
    private async Task ServeAsync(PeerExchange exchange, PxpConnection connection, CancellationToken stop)
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
