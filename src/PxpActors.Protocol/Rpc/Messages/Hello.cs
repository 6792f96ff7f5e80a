namespace PxpActors.Protocol.Rpc.Messages;

/// <summary>
/// <c>["hello", n, [version, connectInfo, [networks...]]]</c>, sent by both sides at session start.
/// <paramref name="ConnectInfo"/> is null when the sender does not accept incoming connections.
/// </summary>
public sealed record Hello(string Nonce, long Version, ConnectInfo? ConnectInfo, IReadOnlyList<string> Networks)
    : PxpMessage(Nonce)
{
    /// <summary>The protocol version pxp@1.1.0 speaks; a peer with another is refused.</summary>
    public const long CurrentVersion = 1;

    /// <summary>"hello".</summary>
    public override string Command => "hello";
}
