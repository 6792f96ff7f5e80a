using System.Text.Json;
using PxpActors.Protocol.Rpc;

namespace PxpActors.Protocol.Tests.Rpc;

public sealed class RepliesTests
{
    private const string Invalid = "Peer sent invalid response to \"getpeers\"";
    private const string InvalidCandidate = "Peer sent invalid candidate peer";

    private static JsonElement Json(string text) => JsonSerializer.Deserialize<JsonElement>(text);

    [Fact]
    public void ReadCandidates_must_read_the_candidates_of_a_success_reply()
    {
        var result = Replies.ReadCandidates(Json(
            """[null,[{"id":"0a1b2c3d","network":"test","connectInfo":{"pxp":true,"relay":true,"webrtc":true}},{"id":"9","network":"n","connectInfo":null}]]"""));

        Assert.True(result.IsSuccess);
        Assert.Equal(
            [new Candidate("0a1b2c3d", "test", ConnectInfo.Accepting), new Candidate("9", "n", null)],
            result.Value!);
    }

    [Fact]
    public void ReadCandidates_must_round_trip_what_Candidates_built()
    {
        Candidate[] candidates = [new("a", "x", ConnectInfo.StreamOnly), new("b", "y", null)];

        Assert.Equal(candidates, Replies.ReadCandidates(Replies.Candidates(candidates)).Value!);
    }

    [Theory]
    [InlineData("[false,[]]")]
    [InlineData("[null,[]]")]
    [InlineData("[null,[],\"ignored\"]")]
    public void ReadCandidates_must_treat_a_falsy_error_slot_as_success(string reply) =>
        Assert.True(Replies.ReadCandidates(Json(reply)).IsSuccess);

    [Theory]
    [InlineData("""["Unknown network"]""", "Unknown network")]
    [InlineData("""["boom",[{"id":"a","network":"n"}]]""", "boom")]
    [InlineData("""[5]""", "Peer replied with an error: 5")]
    [InlineData("""[{"message":"x"}]""", "Peer replied with an error: {\"message\":\"x\"}")]
    [InlineData("""[true]""", "Peer replied with an error: true")]
    public void ReadCandidates_must_report_the_peers_error(string reply, string error) =>
        Assert.Equal(error, Replies.ReadCandidates(Json(reply)).Error);

    [Theory]
    [InlineData("null")]
    [InlineData("\"x\"")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("[null]")]
    [InlineData("[null,{}]")]
    [InlineData("[null,\"a\"]")]
    [InlineData("[null,null]")]
    public void ReadCandidates_must_fail_an_invalid_reply_shape(string reply)
    {
        var result = Replies.ReadCandidates(Json(reply));

        Assert.False(result.IsSuccess);
        Assert.Equal(Invalid, result.Error);
    }

    [Theory]
    [InlineData("[5]")]
    [InlineData("[null]")]
    [InlineData("[\"a\"]")]
    [InlineData("[{}]")]
    [InlineData("""[{"network":"n"}]""")]
    [InlineData("""[{"id":"","network":"n"}]""")]
    [InlineData("""[{"id":5,"network":"n"}]""")]
    [InlineData("""[{"id":"a"}]""")]
    [InlineData("""[{"id":"a","network":null}]""")]
    [InlineData("""[{"id":"a","network":"n"},{"id":"b"}]""")]
    public void ReadCandidates_must_fail_on_any_invalid_candidate(string candidates)
    {
        var result = Replies.ReadCandidates(Json($"[null,{candidates}]"));

        Assert.Equal(InvalidCandidate, result.Error);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("""{"id":"a","network":"n"}""")]
    [InlineData("""{"id":"a","network":"n","connectInfo":"x"}""")]
    [InlineData("""{"id":"a","network":"n","connectInfo":[1]}""")]
    public void ReadCandidates_must_read_a_non_object_connectInfo_as_none(string candidate) =>
        Assert.Null(Replies.ReadCandidates(Json($"[null,[{candidate}]]")).Value!.Single().ConnectInfo);

    [Fact]
    public void ReadStatus_must_read_null_as_success_and_anything_else_as_the_error()
    {
        Assert.True(Replies.ReadStatus(Json("null")).IsSuccess);
        Assert.True(Replies.ReadStatus(default).IsSuccess);
        Assert.Equal("Peer not found", Replies.ReadStatus(Json("\"Peer not found\"")).Error);
        Assert.Equal("Peer replied with an error: [1]", Replies.ReadStatus(Json("[1]")).Error);
        Assert.Equal("Peer replied with an error: false", Replies.ReadStatus(Json("false")).Error);
    }

    [Fact]
    public void ConnectInfo_flags_must_be_true_only_for_literal_true()
    {
        var info = ConnectInfo.Parse("""{"pxp":1,"relay":true,"webrtc":"true"}""");

        Assert.Equal((false, true, false), (info.Pxp, info.Relay, info.WebRtc));
        Assert.Equal(ConnectInfo.Parse("""{"relay":true,"pxp":false}"""), ConnectInfo.StreamOnly);
    }
}
