using PxpActors.Actors;

namespace PxpActors.Bench.Topologies;

public static class IncomingConnections
{
    /// <summary>The next incoming application connection on <paramref name="exchange"/> over <paramref name="transport"/>.</summary>
    public static Task<PxpConnection> Next(PeerExchange exchange, string transport)
    {
        var arrived = new TaskCompletionSource<PxpConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<PxpConnection>? handler = null;
        handler = connection =>
        {
            if (!connection.Incoming || connection.Transport != transport) return;
            if (arrived.TrySetResult(connection)) exchange.Connected -= handler;
        };
        exchange.Connected += handler;
        return arrived.Task;
    }
}
