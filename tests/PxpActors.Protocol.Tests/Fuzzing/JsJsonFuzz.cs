using PxpActors.Protocol.Rpc;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// <see cref="Json.JsJson"/> writes back what a peer sent (connectInfo, signals, replies) when we forward it: every
/// accepted line, encoded again, must be accepted, and its encoding must not change when decoded and encoded once
/// more. A value we accept but cannot write, or write as something we refuse, would break a relay or a hub.
/// </summary>
public sealed class JsJsonFuzz
{
    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Every_accepted_message_written_again_must_be_accepted_and_written_the_same() =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(WellFormed.RpcLines), input =>
        {
            var written = RpcCodec.Encode(RpcCodec.Decode(input));
            byte[] again;
            try
            {
                again = RpcCodec.Encode(RpcCodec.Decode(written));
            }
            catch (PxpProtocolException e)
            {
                throw new InvalidOperationException($"our own encoding was refused: {e.Message}\nwritten: {Convert.ToHexString(written)}", e);
            }
            if (!again.AsSpan().SequenceEqual(written))
                throw new InvalidOperationException($"written {Convert.ToHexString(written)}, then {Convert.ToHexString(again)}");
        }, bytesPerInputByte: 256, fixedBytes: 32 * 1024).MustReachBothPaths();
}
