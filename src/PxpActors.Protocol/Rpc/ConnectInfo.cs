using System.Text.Json;

namespace PxpActors.Protocol.Rpc;

/// <summary>
/// A peer's hello connectInfo object. Kept as the JSON it arrived as, so fields we do not know are
/// passed on unchanged (the reference does the same; extensions live there).
/// </summary>
public sealed record ConnectInfo(JsonElement Json)
{
    /// <summary>What a node that accepts incoming connections announces: <c>{"pxp":true,"relay":true,"webrtc":true}</c>.</summary>
    public static ConnectInfo Accepting { get; } = Parse("""{"pxp":true,"relay":true,"webrtc":true}""");

    /// <summary>What a candidate that is a plain byte stream (not a PXP peer) is offered as.</summary>
    public static ConnectInfo StreamOnly { get; } = Parse("""{"relay":true,"pxp":false}""");

    /// <summary>The peer accepts PXP sessions relayed to it ("pxp": true).</summary>
    public bool Pxp => Flag("pxp");

    /// <summary>The peer can be reached through a relay ("relay": true).</summary>
    public bool Relay => Flag("relay");

    /// <summary>The peer can upgrade a relayed session to WebRTC ("webrtc": true).</summary>
    public bool WebRtc => Flag("webrtc");

    /// <summary>
    /// The node id a PxpActors node adds (<c>"nodeId"</c>, random per node; JavaScript peers pass it on and ignore it),
    /// so a node can tell itself and its existing peers among candidates; null when absent or not a string.
    /// </summary>
    public string? NodeId =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("nodeId", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary><see cref="Accepting"/> with our node id: what a PxpActors node that accepts incoming announces.</summary>
    public static ConnectInfo AcceptingAs(string nodeId) =>
        Parse($$"""{"pxp":true,"relay":true,"webrtc":true,"nodeId":{{JsonSerializer.Serialize(nodeId)}}}""");

    /// <summary>A connectInfo from its JSON text.</summary>
    public static ConnectInfo Parse(string json) => new(JsonSerializer.Deserialize<JsonElement>(json));

    private bool Flag(string name) =>
        Json.ValueKind == JsonValueKind.Object
        && Json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.True;

    /// <summary>Equal when both hold the same JSON text.</summary>
    public bool Equals(ConnectInfo? other) => other is not null && Json.GetRawText() == other.Json.GetRawText();

    /// <summary>A hash of the JSON text, matching <see cref="Equals(ConnectInfo?)"/>.</summary>
    public override int GetHashCode() => Json.GetRawText().GetHashCode(StringComparison.Ordinal);
}
