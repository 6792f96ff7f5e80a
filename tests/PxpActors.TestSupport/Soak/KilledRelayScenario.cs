using System.Text.Json.Nodes;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Rounds of two JS reference nodes, each in its own node process, relaying through the host: the asker relays
/// to the target and writes; once the target has received bytes, one of them (asker and target in turn) is
/// killed with SIGKILL while the rest still flows through the host's throttled relay.
/// </summary>
public sealed class KilledRelayScenario(int rounds, int bytesPerRound) : ISoakScenario
{
    private static readonly JsonObject Accepting = new() { ["pxp"] = true, ["relay"] = true, ["webrtc"] = true };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public string Name => "kill-mid-relay";

    public Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel) =>
        JsRounds.RunAsync(rounds, round => RoundAsync(target, killAsker: round % 2 == 0),
            $"{rounds} rounds of a {bytesPerRound / 1024} KiB relay between two node processes", cancel);

    private async Task<string> RoundAsync(SoakTarget target, bool killAsker)
    {
        var port = target.Address.Port;
        await using var askerNode = await JsDriver.StartAsync().ConfigureAwait(false);
        await using var targetNode = await JsDriver.StartAsync().ConfigureAwait(false);
        var asker = await askerNode.BarePeers("asker", [target.Network], Accepting).ConnectAsync(port).ConfigureAwait(false);
        var relayTarget = await targetNode.BarePeers("target", [target.Network], Accepting).ConnectAsync(port).ConfigureAwait(false);
        await asker.WaitReadyAsync().ConfigureAwait(false);
        await relayTarget.WaitReadyAsync().ConfigureAwait(false);

        var candidate = await JsRounds.FirstCandidateAsync(asker, target.Network).ConfigureAwait(false);
        var relayed = await asker.RelayAsync(candidate.Id).ConfigureAwait(false);
        var incoming = await targetNode.Events.WaitForAsync(e => e.Kind == "incomingRelay" && e.Peer == relayTarget.Id,
            Patience, "the relay to reach the target").ConfigureAwait(false);
        var targetSide = targetNode.ConnectionFrom(await targetNode.Events.WaitForAsync(
            e => e.Kind == "connection" && e.Conn == incoming.Conn, Patience, "the target's relayed connection").ConfigureAwait(false));

        var payload = new byte[bytesPerRound];
        Random.Shared.NextBytes(payload);
        await relayed.WriteAsync(payload).ConfigureAwait(false);
        await targetSide.ReadExactlyAsync(Math.Min(4096, bytesPerRound), Patience).ConfigureAwait(false); // bytes are flowing

        (killAsker ? askerNode : targetNode).Kill();
        return killAsker ? "askers killed mid-relay" : "targets killed mid-relay";
    }
}
