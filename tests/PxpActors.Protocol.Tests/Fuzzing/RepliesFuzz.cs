using System.Text.Json;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// Replies as they arrive (<c>["res", nonce, args]</c> lines, decoded by <see cref="RpcCodec"/>), damaged, read as a
/// getpeers reply and as a status reply. A malformed reply fails its request and never throws; here a failed
/// reply counts as refused, so both the line and the reply shape must reach both paths.
/// </summary>
public sealed class RepliesFuzz
{
    private static readonly IReadOnlyList<byte[]> ReplyLines =
        WellFormed.RpcLines.Where(line => line.AsSpan().StartsWith("[\"res\""u8)).ToList();

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Getpeers_replies_must_give_candidates_that_read_whole_or_fail_the_request() =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(ReplyLines), input =>
        {
            var result = Replies.ReadCandidates(ArgsOf(input));
            if (!result.IsSuccess) throw new PxpProtocolException($"reply refused: {result.Error}");
            foreach (var candidate in result.Value!)
            {
                if (candidate.Id.Length == 0) throw new InvalidOperationException("a candidate with an empty id was accepted");
                _ = candidate.Network.Length;
                if (candidate.ConnectInfo is { } info)
                {
                    if (info.Json.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("connectInfo that is no object");
                    _ = info.Pxp | info.Relay | info.WebRtc | info.GetHashCode() == 0;
                }
            }
        }, bytesPerInputByte: 64, fixedBytes: 16 * 1024).MustReachBothPaths();

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Status_replies_must_succeed_on_null_only_or_fail_with_readable_error_text() =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(ReplyLines), input =>
        {
            var args = ArgsOf(input);
            var result = Replies.ReadStatus(args);
            if (result.IsSuccess != (args.ValueKind == JsonValueKind.Null))
                throw new InvalidOperationException($"{args.ValueKind} read as success: {result.IsSuccess}");
            if (!result.IsSuccess) throw new PxpProtocolException($"reply refused: {result.Error!.Length} chars");
        }, bytesPerInputByte: 64, fixedBytes: 16 * 1024).MustReachBothPaths();

    /// <summary>The args of a reply line; a line that is no reply is refused like one that does not parse.</summary>
    private static JsonElement ArgsOf(byte[] line) =>
        RpcCodec.Decode(line) is Response response ? response.Args : throw new PxpProtocolException("not a reply");
}
