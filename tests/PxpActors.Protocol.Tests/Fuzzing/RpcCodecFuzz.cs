using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// RPC lines from a hostile peer: every command's argument shape damaged (hello's version, connectInfo and
/// networks; the bare strings of getpeers and connect; relay's and incoming's [id]; upgrade's object; res),
/// broken JSON, invalid UTF-8, lone surrogates, deep nesting. Only <see cref="PxpProtocolException"/> escapes,
/// and what is accepted can be read whole without throwing later, in whichever actor reads it.
/// </summary>
public sealed class RpcCodecFuzz
{
    /// <summary>The parsed document kept by the message (a copy of the line plus ~12 bytes a token) and its strings.</summary>
    private const int BytesPerInputByte = 64;

    /// <summary>JsonException messages carry the line and position; the wrapped exception adds its own.</summary>
    private const long FixedBytes = 16 * 1024;

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Rpc_decode_must_refuse_only_with_PxpProtocolException_and_accept_only_messages_that_read_whole() =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(WellFormed.RpcLines),
            input => ReadWhole(RpcCodec.Decode(input)), BytesPerInputByte, FixedBytes).MustReachBothPaths();

    /// <summary>Touches every field an actor may read later; a value that cannot be read throws here, not there.</summary>
    private static void ReadWhole(PxpMessage message)
    {
        _ = message.Nonce.Length + message.Command.Length;
        switch (message)
        {
            case Hello hello:
                _ = hello.Networks.Sum(network => network.Length) + hello.Version;
                if (hello.ConnectInfo is { } info) _ = info.Pxp | info.Relay | info.WebRtc | info.GetHashCode() == 0;
                break;
            case GetPeers getPeers: _ = getPeers.Network.Length; break;
            case Connect connect: _ = connect.Network.Length; break;
            case Relay relay: _ = relay.CandidateId.Length; break;
            case Incoming incoming: _ = incoming.RelayId.Length; break;
            case Upgrade upgrade: _ = upgrade.Transport.Length + (int)upgrade.Signal.ValueKind; break;
            case Response response: _ = (int)response.Args.ValueKind; break;
            default: throw new InvalidOperationException($"decoded an unknown message type {message.GetType().Name}");
        }
    }
}
