namespace PxpActors.Protocol.Rpc.Messages;

/// <summary><c>["connect", n, "network"]</c>: the outgoing side opens the application stream "data:network".</summary>
public sealed record Connect(string Nonce, string Network) : PxpMessage(Nonce)
{
    /// <summary>"connect".</summary>
    public override string Command => "connect";
}
