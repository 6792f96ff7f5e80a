using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SerializationException = System.Runtime.Serialization.SerializationException;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// Writes the simulation's cross-system messages (<see cref="IRemoteSimulationMessage"/>) as JSON, an actor reference as its
/// full remote path. The manifest is the record's name; only this assembly's message records are accepted, so a peer
/// system cannot make us instantiate anything else.
/// </summary>
public sealed class RemoteSimulationSerializer : SerializerWithStringManifest
{
    private static readonly FrozenDictionary<string, Type> Messages = typeof(IRemoteSimulationMessage).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRemoteSimulationMessage).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.FullName!, t => t);

    private readonly JsonSerializerOptions _json;

    /// <summary>Created by Akka's serialization for <paramref name="system"/>.</summary>
    public RemoteSimulationSerializer(ExtendedActorSystem system) : base(system)
    {
        _json = new JsonSerializerOptions { Converters = { new ActorRefConverter(system) } };
    }

    /// <summary>This serializer's id among the system's serializers.</summary>
    public override int Identifier => 7216;

    /// <summary>The record's full name.</summary>
    public override string Manifest(object o) => o.GetType().FullName!;

    /// <summary>The record as UTF-8 JSON.</summary>
    public override byte[] ToBinary(object obj) =>
        obj is IRemoteSimulationMessage
            ? JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _json)
            : throw new ArgumentException($"{obj.GetType()} is not a simulation message", nameof(obj));

    /// <summary>The record named by <paramref name="manifest"/>, read from <paramref name="bytes"/>.</summary>
    public override object FromBinary(byte[] bytes, string manifest) =>
        Messages.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _json) ?? throw new SerializationException($"An empty {manifest}")
            : throw new SerializationException($"Unknown simulation message {manifest}");

    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() is { } path ? system.Provider.ResolveActorRef(path) : ActorRefs.Nobody;

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Serialization.SerializedActorPath(value));
    }
}
