using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// How driver.js builds a Swarm. Options left null are not passed to the reference at all, so its
/// own defaults apply (allowIncoming = true).
/// </summary>
public sealed record JsExchangeOptions
{
    /// <summary>The reference's allowIncoming; false makes its hello connectInfo null.</summary>
    public bool? AllowIncoming { get; init; }

    /// <summary>Pass @roamhq/wrtc as the wrtc option; without it the reference's constructor throws.</summary>
    public bool PassWrtc { get; init; } = true;

    /// <summary>The reference's rtcConfig (RTCPeerConnection configuration), passed through.</summary>
    public JsonObject? RtcConfig { get; init; }

    /// <summary>Bytes per second for relays this exchange serves (the reference's default is 50,000).</summary>
    public int? RelayRateLimit { get; init; }

    /// <summary>Extra candidates offered by getpeers: functions that relay to a fresh TCP socket.</summary>
    public IReadOnlyList<JsFunctionCandidate> FunctionCandidates { get; init; } = [];

    /// <summary>
    /// Listen for 'error' on every pxp peer and report it as a peerError event. Off, the reference's
    /// unhandled 'error' events throw (reported as uncaughtException), exactly as in a bare application.
    /// </summary>
    public bool ObservePeerErrors { get; init; } = true;

    internal JsonObject ToCommand()
    {
        var command = new JsonObject
        {
            ["wrtc"] = PassWrtc,
            ["observePeerErrors"] = ObservePeerErrors,
        };
        if (AllowIncoming is { } allowIncoming)
        {
            command["allowIncoming"] = allowIncoming;
        }

        if (RtcConfig is not null)
        {
            command["rtcConfig"] = RtcConfig.DeepClone();
        }

        if (RelayRateLimit is { } rate)
        {
            command["relayRateLimit"] = rate;
        }

        if (FunctionCandidates.Count > 0)
        {
            command["functionCandidates"] = new JsonArray(FunctionCandidates.Select(c => (JsonNode)c.ToJson()).ToArray());
        }

        return command;
    }
}
