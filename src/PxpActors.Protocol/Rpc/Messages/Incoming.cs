namespace PxpActors.Protocol.Rpc.Messages;

/// <summary><c>["incoming", n, ["relayId"]]</c>: tells a candidate that a relayed session arrives on "relay:relayId".</summary>
public sealed record Incoming(string Nonce, string RelayId) : PxpMessage(Nonce)
{
    /// <summary>"incoming".</summary>
    public override string Command => "incoming";
}
