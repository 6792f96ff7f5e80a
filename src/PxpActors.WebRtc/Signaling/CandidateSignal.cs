using System.Text.Json;
using System.Text.Json.Serialization;

namespace PxpActors.WebRtc.Signaling;

/// <summary>A trickled candidate: <c>{"candidate":{"candidate":"candidate:…","sdpMLineIndex":0,"sdpMid":"0"}}</c>.</summary>
[JsonConverter(typeof(SignalJsonConverter))]
public sealed record CandidateSignal(IceCandidateInit Candidate) : Signal
{
    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("candidate");
        writer.WriteStartObject();
        writer.WritePropertyName("candidate");
        WriteJsString(writer, Candidate.Candidate);
        writer.WritePropertyName("sdpMLineIndex");
        if (Candidate.SdpMLineIndex is { } index) writer.WriteNumberValue(index);
        else writer.WriteNullValue();
        writer.WritePropertyName("sdpMid");
        if (Candidate.SdpMid is { } mid) WriteJsString(writer, mid);
        else writer.WriteNullValue();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static CandidateSignal FromJson(JsonElement candidate)
    {
        if (candidate.ValueKind != JsonValueKind.Object)
            throw new SignalFormatException("A candidate signal's 'candidate' is an object.");
        var line = RequireString(candidate, "candidate", "A candidate signal");
        int? index = null;
        if (candidate.TryGetProperty("sdpMLineIndex", out var indexElement) && indexElement.ValueKind != JsonValueKind.Null)
        {
            if (indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetInt32(out var value) || value < 0)
                throw new SignalFormatException("A candidate's 'sdpMLineIndex' is a non-negative integer or null.");
            index = value;
        }
        string? mid = null;
        if (candidate.TryGetProperty("sdpMid", out var midElement) && midElement.ValueKind != JsonValueKind.Null)
        {
            if (midElement.ValueKind != JsonValueKind.String)
                throw new SignalFormatException("A candidate's 'sdpMid' is a string or null.");
            mid = midElement.GetString();
        }
        if (index is null && mid is null)
            throw new SignalFormatException("A candidate signal names neither 'sdpMLineIndex' nor 'sdpMid'.");
        return new CandidateSignal(new IceCandidateInit(line, index, mid));
    }
}
