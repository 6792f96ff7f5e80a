namespace PxpActors.Bench.Topologies;

/// <summary>
/// Two PXP nodes (each with its own actor system, as two processes would have) joined over loopback TCP, or over another
/// transport when given its listen address (ws://127.0.0.1:0/pxp).
/// </summary>
public sealed class PxpTcpPair : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private PxpTcpPair(PeerExchange client, PeerExchange server, StreamPair streams)
    {
        Client = client;
        Server = server;
        Streams = streams;
    }

    public PeerExchange Client { get; }

    public PeerExchange Server { get; }

    /// <summary>The application connection: client writes, server reads.</summary>
    public StreamPair Streams { get; }

    public static async Task<PxpTcpPair> OpenAsync(string network = "bench", string listen = "tcp://127.0.0.1:0", string transport = "tcp")
    {
        var server = new PeerExchange(network);
        var client = new PeerExchange(network);
        try
        {
            var accepted = IncomingConnections.Next(server, transport);
            var address = await server.ListenAsync(new Uri(listen)).ConfigureAwait(false);
            var outgoing = await client.ConnectAsync(address).WaitAsync(ConnectTimeout).ConfigureAwait(false);
            var incoming = await accepted.WaitAsync(ConnectTimeout).ConfigureAwait(false);
            var streams = new StreamPair(outgoing.OpenStream(), incoming.OpenStream());
            return new PxpTcpPair(client, server, streams);
        }
        catch
        {
            await client.CloseAsync().ConfigureAwait(false);
            await server.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Streams.DisposeAsync().ConfigureAwait(false);
        await Client.CloseAsync().ConfigureAwait(false);
        await Server.CloseAsync().ConfigureAwait(false);
    }
}
