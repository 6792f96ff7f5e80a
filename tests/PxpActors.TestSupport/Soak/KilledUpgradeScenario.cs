using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Rounds of two JS reference exchanges, each in its own node process, both connected to the host: one calls
/// getNewPeer, which relays through the host to the other and upgrades to WebRTC between them. As soon as the
/// other has its relayed session (the upgrade's signals are crossing the host), one of the two (in turn) is
/// killed with SIGKILL.
/// </summary>
public sealed class KilledUpgradeScenario(int rounds, TimeSpan upgradePatience) : ISoakScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public string Name => "kill-mid-upgrade";

    public Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel) =>
        JsRounds.RunAsync(rounds, round => RoundAsync(target, killAsker: round % 2 == 1),
            $"{rounds} getNewPeer upgrades through the host", cancel);

    private async Task<string> RoundAsync(SoakTarget target, bool killAsker)
    {
        await using var askerNode = await JsDriver.StartAsync().ConfigureAwait(false);
        await using var otherNode = await JsDriver.StartAsync().ConfigureAwait(false);
        var asker = await askerNode.CreateExchangeAsync("asker", target.Network).ConfigureAwait(false);
        var other = await otherNode.CreateExchangeAsync("other", target.Network).ConfigureAwait(false);
        var hubSeenByAsker = (await asker.ConnectAsync(target.Address.Port).ConfigureAwait(false)).Peer!;
        await other.ConnectAsync(target.Address.Port).ConfigureAwait(false);
        await JsRounds.FirstCandidateAsync(hubSeenByAsker, target.Network).ConfigureAwait(false); // the host knows both

        var upgrade = asker.GetNewPeerAsync(upgradePatience); // the reference has no timeout of its own
        await otherNode.Events.WaitForAsync(e => e.Kind == "peerCreated" && e.Body["transport"]?.GetValue<string>() == "relay",
            Patience, "the relayed session the upgrade runs on").ConfigureAwait(false);
        (killAsker ? askerNode : otherNode).Kill();

        try
        {
            await upgrade.ConfigureAwait(false);
            return "upgrades finished before the kill";
        }
        catch (JsReferenceException)
        {
            // The asker died with it, or its getNewPeer failed or never finished after the answerer died.
            return killAsker ? "askers killed mid-upgrade" : "answerers killed mid-upgrade";
        }
    }
}
