namespace PxpActors.Protocol.Rpc.Messages;

/// <summary><c>["relay", n, ["candidateId"]]</c>: asks the receiver to relay a byte stream to a candidate.</summary>
public sealed record Relay(string Nonce, string CandidateId) : PxpMessage(Nonce)
{
    /// <summary>"relay".</summary>
    public override string Command => "relay";
}
