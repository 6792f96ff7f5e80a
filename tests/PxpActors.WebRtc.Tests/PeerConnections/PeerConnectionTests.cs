using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Signaling;
using PxpActors.WebRtc.Tests.Ice;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.PeerConnections;

/// <summary>Two of our peer connections over real loopback UDP, signalled through simple-peer JSON.</summary>
public sealed class PeerConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PeerConnection_must_connect_carry_messages_and_streams_both_ways_and_release_everything_on_close()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        var network = new TrackingNetwork(UdpNetwork.Instance);
        var clock = new TrackingTimeProvider(TimeProvider.System);
        var offerer = new PeerConnection(Options(initiator: true, network, clock));
        var answerer = new PeerConnection(Options(initiator: false, network, clock));
        var offererStates = Record(offerer);
        var answererStates = Record(answerer);
        var closedOnAnswerer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        answerer.DataChannelClosed += c => closedOnAnswerer.TrySetResult(c.Label);
        await using var toAnswerer = new SignalWire(offerer, answerer);
        await using var toOfferer = new SignalWire(answerer, offerer);

        var offer = await offerer.CreateOfferAsync(ct);
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience, ct);

        Assert.Equal(SessionDescriptionType.Offer, offer.Type);
        Assert.StartsWith("{\"type\":\"offer\",\"sdp\":\"v=0", toAnswerer.Carried[0]);
        // The host candidates ride in the offer (JSEP 5.2.1) and are not trickled a second time.
        Assert.Contains("a=candidate:", Assert.IsType<SessionDescriptionSignal>(Signal.Parse(toAnswerer.Carried[0])).Sdp);
        Assert.DoesNotContain(toAnswerer.Carried.Skip(1), s => s.StartsWith("{\"candidate\":"));
        Assert.StartsWith("{\"type\":\"answer\"", toOfferer.Carried[0]);
        Assert.Equal([PeerConnectionState.Connecting, PeerConnectionState.Connected], offererStates);
        Assert.Equal([PeerConnectionState.Connecting, PeerConnectionState.Connected], answererStates);

        var ours = await offerer.CreateDataChannelAsync("data", cancellationToken: ct);
        var theirs = await answerer.AcceptDataChannelAsync(ct);
        Assert.Equal("data", theirs.Label);
        Assert.Equal(ours.Id, theirs.Id);
        Assert.Equal(1, ours.Id % 2); // our answer says a=setup:active, so the offerer is the DTLS server: odd ids (RFC 8832 6)
        foreach (var size in new[] { 1, 64 * 1024, 256 * 1024 })
        {
            await AssertCrossesAsync(ours, theirs, size, ct);
            await AssertCrossesAsync(theirs, ours, size, ct);
        }

        const long total = 8 * 1024 * 1024;
        var ourStream = ours.AsStream();
        var theirStream = theirs.AsStream();
        var sent = Task.WhenAll(StreamChecks.WriteRandomAsync(ourStream, total, 1024 * 1024, ct), StreamChecks.WriteRandomAsync(theirStream, total, 100_000, ct));
        var received = Task.WhenAll(StreamChecks.ReadAsync(theirStream, total, ct), StreamChecks.ReadAsync(ourStream, total, ct));
        var sentHashes = await sent;
        var receivedHashes = await received;
        Assert.Equal(sentHashes, receivedHashes);

        await theirs.CloseAsync(ct);
        await ours.Completion.WaitAsync(Patience, ct);
        Assert.Equal(DataChannelState.Closed, ours.State);
        Assert.Null(await ours.ReceiveAsync(ct));
        Assert.Equal("data", await closedOnAnswerer.Task.WaitAsync(Patience, ct));

        await offerer.CloseAsync();
        await answerer.Closed.WaitAsync(Patience, ct); // the peer's SHUTDOWN closes the answerer too
        Assert.Equal(PeerConnectionState.Closed, offerer.State);
        Assert.Equal(PeerConnectionState.Closed, answerer.State);
        Assert.True(offerer.IsReleased);
        Assert.True(answerer.IsReleased);
        Assert.Equal(0, network.OpenCount);
        Assert.True(network.BoundCount >= 2);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task PeerConnection_must_respect_the_peer_max_message_size()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        await using var offerer = new PeerConnection(Options(initiator: true));
        await using var answerer = new PeerConnection(Options(initiator: false) with
        {
            Sctp = new SctpAssociationOptions { MaxMessageSize = 64 * 1024 },
        });
        await using var toAnswerer = new SignalWire(offerer, answerer);
        await using var toOfferer = new SignalWire(answerer, offerer);
        await offerer.CreateOfferAsync(ct);
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience, ct);

        Assert.Contains("a=max-message-size:65536", Assert.IsType<SessionDescriptionSignal>(Signal.Parse(toOfferer.Carried[0])).Sdp);
        Assert.Equal(65536, offerer.RemoteMaxMessageSize);
        var ours = await offerer.CreateDataChannelAsync("limited", cancellationToken: ct);
        var theirs = await answerer.AcceptDataChannelAsync(ct);
        Assert.Equal(64 * 1024, ours.MaxMessageSize);
        Assert.Equal(256 * 1024, theirs.MaxMessageSize);
        await Assert.ThrowsAsync<ArgumentException>(async () => await ours.SendAsync(new byte[64 * 1024 + 1], ct));

        // A stream write larger than the limit becomes several messages, each within it.
        var payload = RandomNumberGenerator.GetBytes(200 * 1024);
        await ours.AsStream().WriteAsync(payload, ct);
        var sizes = new List<int>();
        var reassembled = new List<byte>();
        while (reassembled.Count < payload.Length)
        {
            var message = (await theirs.ReceiveAsync(ct))!;
            sizes.Add(message.Data.Length);
            reassembled.AddRange(message.Data.ToArray());
        }
        Assert.Equal(payload, reassembled.ToArray());
        Assert.Equal([65536, 65536, 65536, 200 * 1024 - 3 * 65536], sizes);
    }

    [Fact]
    public async Task PeerConnections_of_one_certificate_source_must_each_connect_with_its_own_certificate_made_ahead()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        var source = new DtlsCertificateSource(DtlsSettings.Default, TimeProvider.System);
        var first = source.Next(); // the first is made on the spot; from here on one is kept in reserve
        var reserved = await source.Reserve!.WaitAsync(Patience, ct);

        await using var offerer = new PeerConnection(Options(initiator: true) with { CertificateSource = source });
        await using var answerer = new PeerConnection(Options(initiator: false) with { CertificateSource = source });
        await using var toAnswerer = new SignalWire(offerer, answerer);
        await using var toOfferer = new SignalWire(answerer, offerer);
        await offerer.CreateOfferAsync(ct);
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience, ct);

        // The offerer took the reserve; the answerer, made while the next one was still under way or just after, one of
        // its own: the answerer checked the offerer's certificate against the offer's fingerprint, so the reserve is valid.
        Assert.Equal(reserved.Fingerprint, offerer.LocalFingerprint);
        Assert.Equal(3, new[] { first.Fingerprint, offerer.LocalFingerprint, answerer.LocalFingerprint }.Distinct().Count());
        var ours = await offerer.CreateDataChannelAsync("reserved", cancellationToken: ct);
        var theirs = await answerer.AcceptDataChannelAsync(ct);
        await ours.SendAsync(new byte[] { 1, 2, 3 }, ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await theirs.ReceiveAsync(ct))!.Data.ToArray());
    }

    [Fact]
    public async Task PeerConnection_channels_must_work_as_Akka_flows_one_element_per_message()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = cts.Token;
        await using var offerer = new PeerConnection(Options(initiator: true));
        await using var answerer = new PeerConnection(Options(initiator: false));
        await using var toAnswerer = new SignalWire(offerer, answerer);
        await using var toOfferer = new SignalWire(answerer, offerer);
        await offerer.CreateOfferAsync(ct);
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience, ct);
        var ours = await offerer.CreateDataChannelAsync("flow", cancellationToken: ct);
        var theirs = await answerer.AcceptDataChannelAsync(ct);

        using var system = ActorSystem.Create("pc-flow-test");
        var materializer = system.Materializer();
        // The answerer echoes through its flow; the offerer sends three elements (one larger than the peer's limit).
        theirs.AsFlow().Join(Flow.Create<ByteString>()).Run(materializer);
        var elements = new[] { ByteString.FromString("a"), ByteString.FromBytes(RandomNumberGenerator.GetBytes(1000)), ByteString.FromBytes(RandomNumberGenerator.GetBytes(300 * 1024)) };
        var echoed = await Source.From(elements).Concat(Source.Never<ByteString>())
            .Via(ours.AsFlow())
            .Take(4)
            .RunWith(Sink.Seq<ByteString>(), materializer)
            .WaitAsync(Patience, ct);

        Assert.Equal([1, 1000, 256 * 1024, 300 * 1024 - 256 * 1024], echoed.Select(e => e.Count));
        Assert.Equal(elements[1].ToArray(), echoed[1].ToArray());
        Assert.Equal(elements[2].ToArray(), echoed[2].Concat(echoed[3]).ToArray());

        // Completing the input closes the channel (after what was queued) on both sides, which ends the other side's flow too.
        var second = await offerer.CreateDataChannelAsync("flow-2", cancellationToken: ct);
        var secondTheirs = await answerer.AcceptDataChannelAsync(ct);
        var theirOutput = Source.Never<ByteString>().Via(secondTheirs.AsFlow()).RunWith(Sink.Seq<ByteString>(), materializer);
        _ = Source.Single(ByteString.FromString("last")).Via(second.AsFlow()).RunWith(Sink.Ignore<ByteString>(), materializer);
        await secondTheirs.Completion.WaitAsync(Patience, ct);
        await second.Completion.WaitAsync(Patience, ct);
        Assert.Equal(["last"], (await theirOutput.WaitAsync(Patience, ct)).Select(b => b.ToString()));
    }

    [Fact]
    public async Task PeerConnection_closed_before_connecting_must_release_its_sockets_and_fail_Connected()
    {
        var network = new TrackingNetwork(UdpNetwork.Instance);
        var clock = new TrackingTimeProvider(TimeProvider.System);
        var offerer = new PeerConnection(Options(initiator: true, network, clock));
        var signals = new List<Signal>();
        offerer.LocalSignal += signals.Add;
        await offerer.CreateOfferAsync();
        Assert.IsType<SessionDescriptionSignal>(signals[0]);
        Assert.True(network.OpenCount > 0);

        await offerer.CloseAsync();

        await Assert.ThrowsAsync<PeerConnectionException>(() => offerer.Connected);
        await Assert.ThrowsAsync<PeerConnectionException>(() => offerer.CreateDataChannelAsync("late"));
        await Assert.ThrowsAsync<PeerConnectionException>(() => offerer.AcceptDataChannelAsync());
        Assert.Equal(PeerConnectionState.Closed, offerer.State);
        Assert.True(offerer.IsReleased, "sockets, timer and the DTLS thread prepared when it started are all gone");
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task PeerConnection_prepared_ahead_must_answer_a_later_offer_or_release_everything_when_closed_unused()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        var network = new TrackingNetwork(UdpNetwork.Instance);
        var clock = new TrackingTimeProvider(TimeProvider.System);
        var standby = new PeerConnection(Options(initiator: false, network, clock));
        var unused = new PeerConnection(Options(initiator: false, network, clock));
        await Task.WhenAll(standby.PrepareAsync(ct), unused.PrepareAsync(ct));
        var boundAhead = network.BoundCount;
        Assert.True(boundAhead >= 2, "each prepared connection bound its sockets before any offer");

        var offerer = new PeerConnection(Options(initiator: true, network, clock));
        await using (var toStandby = new SignalWire(offerer, standby))
        await using (var toOfferer = new SignalWire(standby, offerer))
        {
            await offerer.CreateOfferAsync(ct);
            await Task.WhenAll(offerer.Connected, standby.Connected).WaitAsync(Patience, ct);
            var ours = await offerer.CreateDataChannelAsync("data", cancellationToken: ct);
            var theirs = await standby.AcceptDataChannelAsync(ct);
            await AssertCrossesAsync(ours, theirs, 1024, ct);
        }
        await unused.CloseAsync();
        await offerer.CloseAsync();
        await standby.Closed.WaitAsync(Patience, ct);

        Assert.True(unused.IsReleased, "its sockets, timer and prepared DTLS thread are gone");
        Assert.True(standby.IsReleased);
        Assert.True(offerer.IsReleased);
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task PeerConnection_that_finds_no_path_must_fail_with_the_ICE_error_and_release_everything()
    {
        var network = new TrackingNetwork(UdpNetwork.Instance);
        var clock = new TrackingTimeProvider(TimeProvider.System);
        var offerer = new PeerConnection(Options(initiator: true, network, clock) with { IceConnectTimeout = TimeSpan.FromSeconds(1) });
        var answerer = new PeerConnection(Options(initiator: false, network, clock) with { IceConnectTimeout = TimeSpan.FromSeconds(1) });
        var offererStates = Record(offerer);
        // Descriptions stripped of the candidates they carry, and none trickled: neither side has anything to check.
        var offer = await offerer.CreateOfferAsync();
        await answerer.SetRemoteDescriptionAsync(WithoutCandidates(offer));
        await offerer.SetRemoteDescriptionAsync(WithoutCandidates(await answerer.CreateAnswerAsync()));

        var failure = await Assert.ThrowsAsync<PeerConnectionException>(() => offerer.Connected.WaitAsync(Patience));
        Assert.IsType<PxpActors.WebRtc.Ice.IceException>(failure.InnerException);
        await Assert.ThrowsAsync<PeerConnectionException>(() => answerer.Connected.WaitAsync(Patience));
        await Task.WhenAll(offerer.Closed, answerer.Closed).WaitAsync(Patience);

        Assert.Equal([PeerConnectionState.Connecting, PeerConnectionState.Failed, PeerConnectionState.Closed], offererStates);
        Assert.True(offerer.IsReleased);
        Assert.True(answerer.IsReleased);
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task PeerConnection_must_refuse_signals_out_of_order()
    {
        await using var answerer = new PeerConnection(Options(initiator: false));
        await Assert.ThrowsAsync<PeerConnectionException>(() => answerer.CreateAnswerAsync());
        await using var offerer = new PeerConnection(Options(initiator: true));
        var offer = await offerer.CreateOfferAsync();
        await Assert.ThrowsAsync<PeerConnectionException>(() => offerer.SetRemoteDescriptionAsync(offer)); // glare
        await Assert.ThrowsAsync<PeerConnectionException>(() => answerer.SetRemoteDescriptionAsync(new SessionDescriptionSignal(SessionDescriptionType.Answer, offer.Sdp)));
        await Assert.ThrowsAnyAsync<Exception>(() => answerer.SignalAsync(new SessionDescriptionSignal(SessionDescriptionType.Offer, "v=0\r\nnonsense\r\n")));
    }

    internal static PeerConnectionOptions Options(bool initiator, IDatagramNetwork? network = null, TimeProvider? clock = null) => new()
    {
        Initiator = initiator,
        IncludeLoopback = true,
        LocalAddresses = [IPAddress.Loopback],
        Network = network,
        TimeProvider = clock ?? TimeProvider.System,
    };

    private static List<PeerConnectionState> Record(IWebRtcPeerConnection connection)
    {
        var states = new List<PeerConnectionState>();
        connection.StateChanged += s => { lock (states) states.Add(s); };
        return states;
    }

    private static async Task AssertCrossesAsync(IWebRtcDataChannel from, IWebRtcDataChannel to, int size, CancellationToken ct)
    {
        var payload = RandomNumberGenerator.GetBytes(size);
        await from.SendAsync(payload, ct);
        var message = await to.ReceiveAsync(ct);
        Assert.NotNull(message);
        Assert.False(message.IsText);
        Assert.Equal(payload, message.Data.ToArray());
    }

    private static SessionDescriptionSignal WithoutCandidates(SessionDescriptionSignal description) =>
        description with
        {
            Sdp = string.Concat(description.Sdp.Split("\r\n").Where(line => line.Length > 0 && !line.StartsWith("a=candidate:", StringComparison.Ordinal))
                .Select(line => line + "\r\n")),
        };
}
