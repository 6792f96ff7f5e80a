using System.Text.Json;
using System.Text.Json.Serialization;

namespace PxpActors.WebRtc.Signaling;

/// <summary>
/// Lets <see cref="JsonSerializer"/> read and write every <see cref="Signal"/> type in the simple-peer
/// shapes, whether the declared type is the base or a concrete signal.
/// </summary>
public sealed class SignalJsonConverter : JsonConverterFactory
{
    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) => typeof(Signal).IsAssignableFrom(typeToConvert);

    /// <inheritdoc/>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T>
        where T : Signal
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Signal.Parse(document.RootElement) as T
                ?? throw new SignalFormatException($"Expected a {typeof(T).Name} signal.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => value.WriteTo(writer);
    }
}
