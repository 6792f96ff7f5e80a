using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// A function candidate for a JS exchange's getpeers: relaying to it opens a TCP socket to
/// Host:Port and pipes the relay there. The reference advertises {"relay":true,"pxp":false}
/// merged with <see cref="ConnectInfo"/>.
/// </summary>
public sealed record JsFunctionCandidate(string Host, int Port, JsonObject? ConnectInfo = null)
{
    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["host"] = Host, ["port"] = Port };
        if (ConnectInfo is not null)
        {
            json["connectInfo"] = ConnectInfo.DeepClone();
        }

        return json;
    }
}
