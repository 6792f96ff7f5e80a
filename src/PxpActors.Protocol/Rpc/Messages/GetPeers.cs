namespace PxpActors.Protocol.Rpc.Messages;

/// <summary><c>["getpeers", n, "network"]</c>: asks for candidates on one network.</summary>
public sealed record GetPeers(string Nonce, string Network) : PxpMessage(Nonce)
{
    /// <summary>"getpeers".</summary>
    public override string Command => "getpeers";
}
