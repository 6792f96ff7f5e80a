using System.Text;
using Akka.Actor;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.Remote;
using PxpActors.Simulation.Tests.Remote.Support;
using PxpActors.Simulation.WebRtc;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.Tests.Remote;

/// <summary>
/// Simulated peer connections between two ActorSystems of this process (each with its own SimulatedWebRtc reaching the
/// other through CrossSystemWebRtc), driven signal by signal: channels over the cross-system link, ends and cuts, failures.
/// </summary>
public sealed class CrossSystemWebRtcSpec : IAsyncLifetime
{
    private ActorSystem _a = null!;
    private ActorSystem _b = null!;
    private readonly SimulatedWebRtc _networkA = new();
    private readonly SimulatedWebRtc _networkB = new();
    private CrossSystemWebRtc _crossA = null!;
    private CrossSystemWebRtc _crossB = null!;

    public Task InitializeAsync()
    {
        _a = RemoteSimulationConfig.CreateSystem("rtc-a");
        _b = RemoteSimulationConfig.CreateSystem("rtc-b");
        _crossA = CrossSystemWebRtc.Start(_a, _networkA);
        _crossB = CrossSystemWebRtc.Start(_b, _networkB);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _crossA.DisposeAsync();
        await _crossB.DisposeAsync();
        await Task.WhenAll(_a.Terminate(), _b.Terminate());
    }

    [Fact]
    public async Task A_connection_answered_in_another_system_must_carry_its_channels_messages_whole_and_in_order_and_end_cleanly()
    {
        var initiator = _networkA.FactoryFor("a").Create(new PeerConnectionOptions { Initiator = true });
        var responder = _networkB.FactoryFor("b").Create(new PeerConnectionOptions());
        var answer = await AnswerAsync(initiator, responder);
        // The link comes from the answering side and may arrive before the answer travels back: both are up already.
        await Task.WhenAll(initiator.Connected, responder.Connected).WaitAsync(Await.Timeout);
        await initiator.SignalAsync(answer);
        Assert.Equal(PeerConnectionState.Connected, initiator.State);

        var atA = await initiator.CreateDataChannelAsync("label").WaitAsync(Await.Timeout);
        var atB = await responder.AcceptDataChannelAsync().WaitAsync(Await.Timeout);
        Assert.Equal(("label", atA.Id), (atB.Label, atB.Id));
        var large = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray(); // many link chunks
        await atA.SendAsync(large);
        await atA.SendAsync("text");
        await atA.SendAsync(new byte[] { 1, 2, 3 });
        Assert.Equal(large, (await atB.ReceiveAsync())!.Data.ToArray());
        Assert.Equal(("text", true), Text(await atB.ReceiveAsync()));
        Assert.Equal(new byte[] { 1, 2, 3 }, (await atB.ReceiveAsync())!.Data.ToArray());
        await atB.SendAsync("back");
        Assert.Equal(("back", true), Text(await atA.ReceiveAsync()));
        Assert.Equal((1, 1), (_networkA.OpenChannels, _networkB.OpenChannels));
        Assert.Contains(("b", "a"), _networkB.Channels);

        await atA.CloseAsync();
        Assert.Null(await atB.ReceiveAsync().AsTask().WaitAsync(Await.Timeout)); // closed after its last message
        await initiator.CloseAsync();
        await Await.UntilAsync(() => responder.State == PeerConnectionState.Disconnected, "the responder to see the initiator go");
        await responder.CloseAsync();
        await NothingOpenAsync();
    }

    [Fact]
    public async Task A_cut_must_fail_both_ends_across_systems_and_a_connection_told_to_fail_must_fail_both_sides()
    {
        var initiator = _networkA.FactoryFor("a").Create(new PeerConnectionOptions { Initiator = true });
        var responder = _networkB.FactoryFor("b").Create(new PeerConnectionOptions());
        await initiator.SignalAsync(await AnswerAsync(initiator, responder));
        var atA = await initiator.CreateDataChannelAsync("cut me").WaitAsync(Await.Timeout);
        var atB = await responder.AcceptDataChannelAsync().WaitAsync(Await.Timeout);

        Assert.Equal(1, _networkB.Cut((x, y) => x == "b" && y == "a", "partitioned"));

        await Assert.ThrowsAsync<LinkCutException>(async () => await atB.ReceiveAsync());
        var atAError = await Assert.ThrowsAsync<LinkCutException>(async () => await atA.ReceiveAsync().AsTask().WaitAsync(Await.Timeout));
        Assert.Equal("partitioned", atAError.Message);
        await Task.WhenAll(initiator.CloseAsync(), responder.CloseAsync());

        // The answering side decides (failure rate 1): the offering side learns it over the link, not by a timeout.
        _networkB.Behavior = new SimulatedWebRtcBehavior(TimeSpan.Zero, FailureRate: 1);
        var failing = _networkA.FactoryFor("a").Create(new PeerConnectionOptions { Initiator = true });
        var refusing = _networkB.FactoryFor("b").Create(new PeerConnectionOptions());
        await failing.SignalAsync(await AnswerAsync(failing, refusing));
        var error = await Assert.ThrowsAsync<PeerConnectionException>(() => failing.Connected.WaitAsync(Await.Timeout));
        Assert.Contains("failure rate", error.Message);
        await Assert.ThrowsAsync<PeerConnectionException>(() => refusing.Connected.WaitAsync(Await.Timeout));
        await Task.WhenAll(failing.CloseAsync(), refusing.CloseAsync());
        await NothingOpenAsync();
    }

    private static async Task<PxpActors.WebRtc.Signaling.Signal> AnswerAsync(IWebRtcPeerConnection initiator, IWebRtcPeerConnection responder)
    {
        PxpActors.WebRtc.Signaling.Signal? answer = null;
        responder.LocalSignal += signal => answer = signal;
        await responder.SignalAsync(await initiator.CreateOfferAsync()); // sets the offer and answers it
        return answer ?? throw new InvalidOperationException("No answer raised");
    }

    private static (string, bool) Text(PxpActors.WebRtc.DataChannels.DataChannelMessage? message) =>
        (Encoding.UTF8.GetString(message!.Data.Span), message.IsText);

    private Task NothingOpenAsync() =>
        Await.UntilAsync(async () => _networkA.OpenConnections + _networkB.OpenConnections + _networkA.OpenChannels + _networkB.OpenChannels == 0
                                     && await _crossA.LinkCountAsync() + await _crossB.LinkCountAsync() == 0,
            "no simulated connection, channel or link side left in either system");
}
