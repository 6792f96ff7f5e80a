using System.Security.Cryptography;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Tests.Ice;
using PxpActors.WebRtc.Tests.PeerConnections;
using PxpActors.WebRtc.Datagrams;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Our PeerConnection against libwebrtc (@roamhq/wrtc 0.10.0) on loopback, in both offer roles: a data
/// channel opens, 1 B / 64 KiB / 256 KiB messages cross both ways intact, 8 MiB and 64 MiB streams cross both ways
/// with matching SHA-256, channels close cleanly from either side (libwebrtc sees "closed", nothing stays
/// "closing"), and closing the connection releases every socket and timer of ours.
/// </summary>
[Collection(HeavyInteropCollection.Name)]
public sealed class LibwebrtcDataChannelInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StreamPatience = TimeSpan.FromSeconds(120);
    private const long MiB = 1024 * 1024;

    [SkippableTheory]
    [InlineData(8 * MiB)]
    [InlineData(64 * MiB)]
    public async Task Our_offer_must_carry_data_both_ways_with_libwebrtc_and_close_cleanly(long streamBytes)
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        var (network, clock) = Tracking();
        var ours = new PeerConnection(PeerConnectionTests.Options(initiator: true, network, clock));
        await using (var bridge = new WrtcSignalBridge(ours, libwebrtc))
        {
            await ours.CreateOfferAsync();
            await ConnectedAsync(ours, libwebrtc, bridge);
            Assert.Equal(262144, await libwebrtc.GetSctpMaxMessageSizeAsync()); // libwebrtc read our a=max-message-size

            var channel = await ours.CreateDataChannelAsync("ours-1");
            await libwebrtc.WaitForDataChannelStateAsync("ours-1", "open", Patience);
            await ExchangeAsync(channel, libwebrtc, streamBytes);

            await CloseFromOursAsync(channel, libwebrtc);
            var second = await ours.CreateDataChannelAsync("ours-2");
            await libwebrtc.WaitForDataChannelStateAsync("ours-2", "open", Patience);
            await CloseFromLibwebrtcAsync(second, libwebrtc);
        }
        await CloseAndAssertReleasedAsync(ours, libwebrtc, network, clock);
    }

    [SkippableTheory]
    [InlineData(8 * MiB)]
    [InlineData(64 * MiB)]
    public async Task Libwebrtc_offer_must_carry_data_both_ways_with_ours_and_close_cleanly(long streamBytes)
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer, label: "theirs-1");
        var (network, clock) = Tracking();
        var ours = new PeerConnection(PeerConnectionTests.Options(initiator: false, network, clock));
        await using (var bridge = new WrtcSignalBridge(ours, libwebrtc))
        {
            await bridge.OfferFromLibwebrtcAsync();
            await ConnectedAsync(ours, libwebrtc, bridge);

            var channel = await ours.AcceptDataChannelAsync().WaitAsync(Patience);
            Assert.Equal("theirs-1", channel.Label);
            await libwebrtc.WaitForDataChannelStateAsync("theirs-1", "open", Patience);
            await ExchangeAsync(channel, libwebrtc, streamBytes);

            await CloseFromLibwebrtcAsync(channel, libwebrtc);
            var second = await ours.CreateDataChannelAsync("ours-2");
            await libwebrtc.WaitForDataChannelStateAsync("ours-2", "open", Patience);
            await CloseFromOursAsync(second, libwebrtc);
        }
        await CloseAndAssertReleasedAsync(ours, libwebrtc, network, clock);
    }

    [SkippableFact]
    public async Task Libwebrtc_echo_must_send_every_message_back_intact_text_as_text()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        var (network, clock) = Tracking();
        var ours = new PeerConnection(PeerConnectionTests.Options(initiator: true, network, clock));
        await using (var bridge = new WrtcSignalBridge(ours, libwebrtc))
        {
            await ours.CreateOfferAsync();
            await ConnectedAsync(ours, libwebrtc, bridge);
            var channel = await ours.CreateDataChannelAsync("echo");
            await libwebrtc.WaitForDataChannelStateAsync("echo", "open", Patience);

            await libwebrtc.EchoIncomingAsync();
            await channel.SendAsync("hello, echo");
            var text = await channel.ReceiveAsync().AsTask().WaitAsync(Patience);
            Assert.NotNull(text);
            Assert.True(text.IsText);
            Assert.Equal("hello, echo", System.Text.Encoding.UTF8.GetString(text.Data.Span));
            foreach (var size in new[] { 1, 16, 64 * 1024, 256 * 1024 })
            {
                var sent = RandomNumberGenerator.GetBytes(size);
                await channel.SendAsync(sent);
                var echoed = await channel.ReceiveAsync().AsTask().WaitAsync(Patience);
                Assert.NotNull(echoed);
                Assert.False(echoed.IsText);
                Assert.Equal(sent, echoed.Data.ToArray());
            }

            // Switched off, the driver reports messages again instead of answering them.
            await libwebrtc.EchoIncomingAsync(on: false);
            var reported = RandomNumberGenerator.GetBytes(100);
            await channel.SendAsync(reported);
            Assert.Equal(reported, await libwebrtc.NextBinaryMessageAsync(0, Patience));
            await CloseFromOursAsync(channel, libwebrtc);
        }
        await CloseAndAssertReleasedAsync(ours, libwebrtc, network, clock);
    }

    [SkippableFact]
    public async Task Libwebrtc_closing_its_connection_must_close_ours_and_release_everything()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer, label: "theirs");
        var (network, clock) = Tracking();
        var ours = new PeerConnection(PeerConnectionTests.Options(initiator: false, network, clock));
        var closedChannel = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        ours.DataChannelClosed += c => closedChannel.TrySetResult(c.Label);
        await using (var bridge = new WrtcSignalBridge(ours, libwebrtc))
        {
            await bridge.OfferFromLibwebrtcAsync();
            await ConnectedAsync(ours, libwebrtc, bridge);
            var channel = await ours.AcceptDataChannelAsync().WaitAsync(Patience);
            await libwebrtc.WaitForDataChannelStateAsync("theirs", "open", Patience);

            await libwebrtc.ClosePeerConnectionAsync();

            await channel.Completion.WaitAsync(Patience);
            await ours.Closed.WaitAsync(Patience);
        }
        Assert.Equal(PeerConnectionState.Closed, ours.State);
        Assert.Equal("theirs", await closedChannel.Task.WaitAsync(Patience));
        Assert.True(ours.IsReleased);
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(0, clock.ActiveTimers);
    }

    private static (TrackingNetwork, TrackingTimeProvider) Tracking() =>
        (new TrackingNetwork(UdpNetwork.Instance), new TrackingTimeProvider(TimeProvider.System));

    private static async Task ConnectedAsync(PeerConnection ours, WrtcPeer libwebrtc, WrtcSignalBridge bridge)
    {
        // A signal refused on either side ends the pump: report that rather than a connect timeout.
        var first = await Task.WhenAny(ours.Connected, bridge.Pump).WaitAsync(Patience);
        if (first == bridge.Pump) await bridge.Pump;
        await ours.Connected.WaitAsync(Patience);
        Assert.Equal("connected", await libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed"));
        Assert.Equal(PeerConnectionState.Connected, ours.State);
    }

    private async Task ExchangeAsync(IWebRtcDataChannel channel, WrtcPeer libwebrtc, long streamBytes)
    {
        var received = 0;
        foreach (var size in new[] { 1, 64 * 1024, 256 * 1024 })
        {
            var toThem = RandomNumberGenerator.GetBytes(size);
            await channel.SendAsync(toThem);
            Assert.Equal(toThem, await libwebrtc.NextBinaryMessageAsync(received++, Patience));

            var toUs = RandomNumberGenerator.GetBytes(size);
            await libwebrtc.SendBinaryAsync(toUs);
            var message = await channel.ReceiveAsync().AsTask().WaitAsync(Patience);
            Assert.NotNull(message);
            Assert.False(message.IsText);
            Assert.Equal(toUs, message.Data.ToArray());
        }

        var stream = channel.AsStream();
        var started = TimeProvider.System.GetTimestamp();
        await libwebrtc.HashIncomingAsync();
        var sentHash = await StreamChecks.WriteRandomAsync(stream, streamBytes, 1024 * 1024, CancellationToken.None).WaitAsync(StreamPatience);
        var (theirHash, theirBytes, _) = await libwebrtc.WaitForHashAsync(streamBytes, StreamPatience);
        Assert.Equal(streamBytes, theirBytes);
        Assert.Equal(sentHash, theirHash);
        output.WriteLine($"ours -> libwebrtc {streamBytes} bytes in {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:F0} ms");

        started = TimeProvider.System.GetTimestamp();
        var ourRead = StreamChecks.ReadAsync(stream, streamBytes, CancellationToken.None);
        var libSent = await libwebrtc.SendStreamAsync(streamBytes, 64 * 1024, StreamPatience);
        Assert.Equal(libSent, await ourRead.WaitAsync(StreamPatience));
        output.WriteLine($"libwebrtc -> ours {streamBytes} bytes in {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:F0} ms");
    }

    private static async Task CloseFromOursAsync(IWebRtcDataChannel channel, WrtcPeer libwebrtc)
    {
        await channel.CloseAsync().WaitAsync(Patience);
        Assert.Equal(DataChannelState.Closed, channel.State);
        await libwebrtc.WaitForDataChannelStateAsync(channel.Label, "closed", Patience);
        Assert.Equal("closed", await libwebrtc.GetDataChannelStateAsync());
    }

    private static async Task CloseFromLibwebrtcAsync(IWebRtcDataChannel channel, WrtcPeer libwebrtc)
    {
        await libwebrtc.CloseDataChannelAsync();
        await channel.Completion.WaitAsync(Patience);
        Assert.Equal(DataChannelState.Closed, channel.State);
        Assert.Null(await channel.ReceiveAsync());
        await libwebrtc.WaitForDataChannelStateAsync(channel.Label, "closed", Patience);
        Assert.Equal("closed", await libwebrtc.GetDataChannelStateAsync());
    }

    private static async Task CloseAndAssertReleasedAsync(PeerConnection ours, WrtcPeer libwebrtc, TrackingNetwork network, TrackingTimeProvider clock)
    {
        await ours.CloseAsync().WaitAsync(Patience);
        Assert.Equal(PeerConnectionState.Closed, ours.State);
        Assert.True(ours.IsReleased);
        Assert.Equal(0, network.OpenCount);
        Assert.Equal(0, clock.ActiveTimers);
        Assert.Equal("closed", await libwebrtc.WaitForDtlsStateAsync(Patience, "closed", "failed"));
    }
}
