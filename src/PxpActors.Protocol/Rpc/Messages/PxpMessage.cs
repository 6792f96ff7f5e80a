namespace PxpActors.Protocol.Rpc.Messages;

/// <summary>
/// One RPC line on the "pxp" stream: <c>[command, nonce, args]</c>. Each command is its own sealed record;
/// a reply to any of them is a <see cref="Response"/> carrying the request's nonce.
/// </summary>
public abstract record PxpMessage(string Nonce)
{
    /// <summary>The command's name on the wire, the first element of the line.</summary>
    public abstract string Command { get; }
}
