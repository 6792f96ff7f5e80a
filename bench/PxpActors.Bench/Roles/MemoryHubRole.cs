using PxpActors.Actors;

namespace PxpActors.Bench.Roles;

/// <summary>
/// Child process: one PXP node that accepts peers over TCP and keeps each application connection, by
/// default opened as a Stream as an application would ("connections": kept unopened). Replies with its
/// memory once a given number of peers are in. Line protocol shared with js/memory-hub.js:
/// stdout first {"listening": url}; "measure N" → {"peers","gcHeapBytes","workingSetBytes"}; "exit".
/// </summary>
public static class MemoryHubRole
{
    public const string Name = "memory-hub";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var openStreams = args.Count == 0 || args[0] == "streams";
        if (args.Count > 1 || args.Count == 1 && args[0] is not ("streams" or "connections"))
            throw new ArgumentException("memory-hub takes \"streams\" or \"connections\"");
        var exchange = new PeerExchange("bench");
        var held = new List<object>();
        var connections = new CountWaiter();
        var failures = new CountWaiter();
        string? firstFailure = null;
        exchange.PeerError += (_, error) =>
        {
            Interlocked.CompareExchange(ref firstFailure, error.Message, null);
            failures.Increment();
        };
        exchange.Connected += connection =>
        {
            object keep = openStreams ? connection.OpenStream() : connection;
            lock (held) held.Add(keep);
            connections.Increment();
        };
        var address = await exchange.ListenAsync(new Uri("tcp://127.0.0.1:0")).ConfigureAwait(false);
        RoleConsole.Reply(new { listening = address.ToString() });

        await RoleConsole.ServeAsync(async (command, peers) =>
        {
            if (command != "measure") throw new ArgumentException($"unknown command {command}");
            // A session that fails (say its handshake times out on a starved machine) would never arrive.
            var arrived = connections.WhenAtLeastAsync(peers);
            await Task.WhenAny(arrived, failures.WhenAtLeastAsync(1)).WaitAsync(ArrivalTimeout).ConfigureAwait(false);
            if (!arrived.IsCompleted)
                throw new InvalidOperationException($"a peer's session failed: {firstFailure} ({connections.Count} of {peers} arrived)");
            // A session is a peer before its connection opens, so with every connection in, every peer is.
            if (exchange.Peers.Count < peers)
                throw new InvalidOperationException($"{connections.Count} connections but only {exchange.Peers.Count} peers");
            RoleConsole.Reply(MemoryReading.Take(exchange.Peers.Count));
        }).ConfigureAwait(false);

        // The process is thrown away: it exits without closing thousands of sessions one by one.
        GC.KeepAlive(held);
        return 0;
    }
}
