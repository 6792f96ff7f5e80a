using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Sessions;

/// <summary>Whether a peer's hello lets the session go on (PROTOCOL.md section 3), in the reference's words when it does not.</summary>
internal static class HelloCheck
{
    /// <summary>Why <paramref name="hello"/> ends a session on <paramref name="networkId"/>, or null when it is acceptable.</summary>
    public static string? Refuse(Hello hello, string networkId)
    {
        if (hello.Version != Hello.CurrentVersion)
            return $"Peer has an invalid protocol version.theirs={hello.Version}, ours={Hello.CurrentVersion}";
        if (!hello.Networks.Contains(networkId)) return "Peer does not have any networks in common.";
        return null;
    }
}
