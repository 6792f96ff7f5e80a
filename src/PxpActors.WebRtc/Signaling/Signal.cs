using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PxpActors.WebRtc.Signaling;

/// <summary>
/// One simple-peer@6 signal (PROTOCOL.md section 5), the payload of <c>upgrade {"transport":"webrtc","signal":S}</c>:
/// <see cref="SessionDescriptionSignal"/> (<c>{"type":"offer","sdp":…}</c> / answer) or
/// <see cref="CandidateSignal"/> (<c>{"candidate":{"candidate":…,"sdpMLineIndex":0,"sdpMid":"0"}}</c>).
/// <see cref="ToJson"/> produces the bytes JavaScript's JSON.stringify produces for the same object.
/// </summary>
[JsonConverter(typeof(SignalJsonConverter))]
public abstract record Signal
{
    /// <summary>Largest signal accepted: room for a large SDP (the SDP parser allows 128 K characters) escaped.</summary>
    public const int MaxUtf8Length = 512 * 1024;

    private protected Signal()
    {
    }

    /// <summary>Writes this signal as JSON with JavaScript's property order and escaping.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>The signal as simple-peer's JSON, UTF-8 encoded.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The signal as simple-peer's JSON.</summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>Reads a simple-peer signal from its JSON text; anything else throws <see cref="SignalFormatException"/>.</summary>
    public static Signal Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses one signal; anything else throws <see cref="SignalFormatException"/>.</summary>
    public static Signal Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxUtf8Length)
            throw new SignalFormatException($"A signal of {utf8Json.Length} bytes exceeds the {MaxUtf8Length}-byte limit.");
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            return Parse(document.RootElement);
        }
        catch (JsonException error)
        {
            throw new SignalFormatException($"A signal is not valid JSON: {error.Message}", error);
        }
    }

    /// <summary>Reads a signal from an already parsed element (e.g. the <c>signal</c> of an upgrade message).</summary>
    public static Signal Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new SignalFormatException($"A signal is a JSON object, not {element.ValueKind}.");
        try
        {
            if (element.TryGetProperty("candidate", out var candidate))
                return CandidateSignal.FromJson(candidate);
            if (element.TryGetProperty("sdp", out _) || element.TryGetProperty("type", out _))
                return SessionDescriptionSignal.FromJson(element);
        }
        catch (InvalidOperationException error)
        {
            // JsonDocument accepts strings that are not UTF-8 and only fails when one is read as text.
            throw new SignalFormatException($"A signal holds a string that is not valid UTF-8: {error.Message}", error);
        }
        throw new SignalFormatException("A signal has neither 'sdp' nor 'candidate'.");
    }

    /// <summary>Writes a string the way JSON.stringify does: only quote, backslash and control characters escaped.</summary>
    private protected static void WriteJsString(Utf8JsonWriter writer, string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (c < 0x20 || IsLoneSurrogate(value, i)) quoted.Append($"\\u{(int)c:x4}");
                    else quoted.Append(c);
                    break;
            }
        }
        writer.WriteRawValue(Encoding.UTF8.GetBytes(quoted.Append('"').ToString()), skipInputValidation: true);
    }

    private protected static string RequireString(JsonElement owner, string name, string context)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            throw new SignalFormatException($"{context} needs a string '{name}'.");
        return value.GetString()!;
    }

    private static bool IsLoneSurrogate(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c)) return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        if (char.IsLowSurrogate(c)) return index == 0 || !char.IsHighSurrogate(text[index - 1]);
        return false;
    }
}
