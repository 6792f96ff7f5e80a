using System.Text.Json;

namespace PxpActors.Protocol.Rpc.Messages;

/// <summary>
/// <c>["upgrade", n, {"transport":"webrtc","signal":S}]</c>: one WebRTC signal on a relayed session.
/// Never answered: the reference throws on a reply to it.
/// </summary>
public sealed record Upgrade(string Nonce, string Transport, JsonElement Signal) : PxpMessage(Nonce)
{
    /// <summary>The only transport an upgrade can name.</summary>
    public const string WebRtcTransport = "webrtc";

    /// <summary>"upgrade".</summary>
    public override string Command => "upgrade";
}
