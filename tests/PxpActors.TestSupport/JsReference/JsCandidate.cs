using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>One getpeers candidate as the reference received it: {"id","network","connectInfo"}.</summary>
public sealed record JsCandidate(string Id, string Network, JsonNode? ConnectInfo)
{
    internal static JsCandidate From(JsonNode json) => new(
        json["id"]!.GetValue<string>(),
        json["network"]!.GetValue<string>(),
        json["connectInfo"]?.DeepClone());
}
