using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>The same wiring as the libwebrtc tests with our stack on both ends: SDP, trickle, ICE on loopback UDP, DTLS.</summary>
public sealed class OursOverIceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Our_offer_and_our_answer_must_connect_over_loopback_and_carry_datagrams()
    {
        await using var offerer = await OurDtlsPeer.StartAsync(IceRole.Controlling);
        await using var answerer = await OurDtlsPeer.StartAsync(IceRole.Controlled);

        var offer = SessionDescription.Parse(offerer.CreateOffer().ToString());
        var answer = SessionDescription.Parse(answerer.CreateAnswer(offer).ToString());
        offerer.ApplyRemote(answer);
        foreach (var candidate in offerer.LocalCandidateSignals("0")) answerer.AddRemoteCandidate(candidate);
        foreach (var candidate in answerer.LocalCandidateSignals("0")) offerer.AddRemoteCandidate(candidate);

        var offererSide = offerer.ConnectAsync(DtlsRoleNegotiation.OffererRole(answer.GetDataChannel().Setup));
        var answererSide = answerer.ConnectAsync(DtlsRoleNegotiation.RoleOf(answer.GetDataChannel().Setup));
        await Task.WhenAll(offererSide, answererSide).WaitAsync(Patience);
        var (server, client) = (await offererSide, await answererSide);

        Assert.Equal(DtlsRole.Server, server.Role);
        Assert.Equal(answerer.Certificate.Fingerprint, server.RemoteFingerprint);
        Assert.Equal(offerer.Certificate.Fingerprint, client.RemoteFingerprint);
        var payload = "over ICE and DTLS"u8.ToArray();
        await client.SendAsync(payload);
        var buffer = new byte[server.MaxDatagramSize];
        var length = await server.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal(payload, buffer[..length]);

        await client.DisposeAsync();
        await server.Completion.WaitAsync(Patience); // close_notify ends the peer in order
        await answerer.Agent.Closed.WaitAsync(Patience);
    }
}
