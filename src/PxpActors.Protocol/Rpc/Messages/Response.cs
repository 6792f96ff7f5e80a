using System.Text.Json;

namespace PxpActors.Protocol.Rpc.Messages;

/// <summary>
/// <c>["res", nonceOfRequest, args]</c>. The shape of <paramref name="Args"/> depends on the request;
/// <see cref="Replies"/> interprets it.
/// </summary>
public sealed record Response(string Nonce, JsonElement Args) : PxpMessage(Nonce)
{
    /// <summary>"res".</summary>
    public override string Command => "res";
}
