using System.Text.Json;
using System.Text.Json.Serialization;

namespace PxpActors.WebRtc.Signaling;

/// <summary>An offer or answer: <c>{"type":"offer","sdp":"v=0\r\n…"}</c>.</summary>
[JsonConverter(typeof(SignalJsonConverter))]
public sealed record SessionDescriptionSignal(SessionDescriptionType Type, string Sdp) : Signal
{
    /// <inheritdoc/>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("type");
        writer.WriteStringValue(Type == SessionDescriptionType.Offer ? "offer" : "answer");
        writer.WritePropertyName("sdp");
        WriteJsString(writer, Sdp);
        writer.WriteEndObject();
    }

    internal static SessionDescriptionSignal FromJson(JsonElement element)
    {
        var type = RequireString(element, "type", "A session description signal") switch
        {
            "offer" => SessionDescriptionType.Offer,
            "answer" => SessionDescriptionType.Answer,
            var other => throw new SignalFormatException($"Session description type '{other}' is not 'offer' or 'answer'."),
        };
        var sdp = RequireString(element, "sdp", "A session description signal");
        if (sdp.Length == 0) throw new SignalFormatException("A session description signal has an empty 'sdp'.");
        return new SessionDescriptionSignal(type, sdp);
    }
}
