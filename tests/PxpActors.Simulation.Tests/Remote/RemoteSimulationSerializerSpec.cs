using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using PxpActors.Simulation.Remote;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>The simulation's cross-system messages through the serializer Akka.Remote uses for them.</summary>
public sealed class RemoteSimulationSerializerSpec : IAsyncLifetime
{
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = RemoteSimulationConfig.CreateSystem("serializer");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    [Fact]
    public void Messages_must_round_trip_with_actor_references_as_remote_paths()
    {
        var endpoint = LinkEndpoint.Start(_system);
        var message = new NodeHost.ConnectNode("a1", endpoint, "hub");
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(message);
        Assert.IsType<RemoteSimulationSerializer>(serializer);

        var back = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));

        Assert.Equal(message, back);
        var list = new NodeHost.PeerList("a1", [new NodeHost.PeerSummary("n1", "webrtc", true), new NodeHost.PeerSummary(null, "remote", false)]);
        var listBack = (NodeHost.PeerList)serializer.FromBinary(serializer.ToBinary(list), serializer.Manifest(list));
        Assert.Equal(list.Peers, listBack.Peers);
    }

    [Fact]
    public void A_manifest_that_is_not_a_simulation_message_must_be_refused()
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(new NodeHost.GetEndpoint());

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), typeof(Uri).FullName!));

        Assert.Contains("Unknown simulation message", error.Message);
    }
}
