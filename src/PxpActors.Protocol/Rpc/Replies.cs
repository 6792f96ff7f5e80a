using System.Buffers;
using System.Text.Json;
using PxpActors.Protocol.Json;

namespace PxpActors.Protocol.Rpc;

/// <summary>
/// The reply shapes of PXP requests. A reply that is malformed fails that request, not the session,
/// as the reference does.
/// </summary>
public static class Replies
{
    /// <summary>getpeers success: <c>[null, [candidates...]]</c>.</summary>
    public static JsonElement Candidates(IEnumerable<Candidate> candidates) => Build(json =>
    {
        json.Raw("[null,["u8);
        var first = true;
        foreach (var candidate in candidates)
        {
            if (!first) json.Raw(","u8);
            first = false;
            json.Raw("{\"id\":"u8);
            json.String(candidate.Id);
            json.Raw(",\"network\":"u8);
            json.String(candidate.Network);
            json.Raw(",\"connectInfo\":"u8);
            if (candidate.ConnectInfo is null) json.Null();
            else json.Element(candidate.ConnectInfo.Json);
            json.Raw("}"u8);
        }
        json.Raw("]]"u8);
    });

    /// <summary>getpeers failure: <c>["message"]</c>.</summary>
    public static JsonElement CandidatesError(string message) => Build(json =>
    {
        json.Raw("["u8);
        json.String(message);
        json.Raw("]"u8);
    });

    /// <summary>Success of relay, incoming and connect: a bare <c>null</c>.</summary>
    public static JsonElement Ok { get; } = Build(json => json.Null());

    /// <summary>Failure of relay and connect: a bare string.</summary>
    public static JsonElement Error(string message) => Build(json => json.String(message));

    /// <summary>Reads a getpeers reply: the candidates, or the error the peer gave or that its reply is invalid.</summary>
    public static ReplyResult<IReadOnlyList<Candidate>> ReadCandidates(JsonElement args)
    {
        const string invalid = "Peer sent invalid response to \"getpeers\"";
        if (args.ValueKind != JsonValueKind.Array || args.GetArrayLength() == 0)
            return ReplyResult<IReadOnlyList<Candidate>>.Failed(invalid);
        var error = args[0];
        if (error.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
            return ReplyResult<IReadOnlyList<Candidate>>.Failed(ErrorText(error));
        if (args.GetArrayLength() < 2 || args[1].ValueKind != JsonValueKind.Array)
            return ReplyResult<IReadOnlyList<Candidate>>.Failed(invalid);

        var candidates = new List<Candidate>();
        foreach (var item in args[1].EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() == ""
                || !item.TryGetProperty("network", out var network) || network.ValueKind != JsonValueKind.String)
                return ReplyResult<IReadOnlyList<Candidate>>.Failed("Peer sent invalid candidate peer");
            ConnectInfo? info = item.TryGetProperty("connectInfo", out var ci) && ci.ValueKind == JsonValueKind.Object
                ? new ConnectInfo(ci)
                : null;
            candidates.Add(new Candidate(id.GetString()!, network.GetString()!, info));
        }
        return ReplyResult<IReadOnlyList<Candidate>>.Succeeded(candidates);
    }

    /// <summary>Reads a relay / incoming / connect reply: null is success, anything else is the error.</summary>
    public static ReplyResult<bool> ReadStatus(JsonElement args) =>
        args.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? ReplyResult<bool>.Succeeded(true)
            : ReplyResult<bool>.Failed(ErrorText(args));

    private static string ErrorText(JsonElement error) =>
        error.ValueKind == JsonValueKind.String ? error.GetString()! : $"Peer replied with an error: {error.GetRawText()}";

    private static JsonElement Build(Action<JsJson> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        write(new JsJson(buffer));
        return JsonSerializer.Deserialize<JsonElement>(buffer.WrittenSpan);
    }
}
