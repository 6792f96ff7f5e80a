using PxpActors.Actors;

namespace PxpActors.Simulation.Tests.WebRtc;

/// <summary>Nodes "a" and "b" joined through a "hub", and a's getNewPeer, which reaches b over the simulated WebRTC.</summary>
internal sealed record UpgradedPair(SimulatedNode B, PxpConnection AtA, PxpConnection AtB)
{
    public static async Task<UpgradedPair> StartAsync(Simulation sim, TimeSpan timeout)
    {
        var (hub, a, b) = (sim.AddNode("hub"), sim.AddNode("a"), sim.AddNode("b"));
        await sim.ConnectAsync(a, hub);
        await sim.ConnectAsync(b, hub);
        var atB = new TaskCompletionSource<PxpConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Exchange.Connected += c =>
        {
            if (c.Transport == "webrtc") atB.TrySetResult(c);
        };
        var atA = await a.Exchange.GetNewPeerAsync();
        return new UpgradedPair(b, atA, await atB.Task.WaitAsync(timeout));
    }
}
