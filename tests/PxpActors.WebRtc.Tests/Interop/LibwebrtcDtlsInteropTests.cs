using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;
using Xunit;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Our ICE + DTLS against libwebrtc (@roamhq/wrtc 0.10.0) on loopback, with trickled candidates: both
/// offer directions reach ICE connected and a DTLS handshake that verified fingerprints on both sides
/// (libwebrtc reports connectionState "connected"); a wrong fingerprint fails both sides (libwebrtc's DTLS
/// transport reports "failed" at once; its connectionState only follows when ICE times out), and our
/// close_notify closes libwebrtc's DTLS transport.
/// </summary>
public sealed class LibwebrtcDtlsInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Our_offer_and_libwebrtc_answer_must_connect_with_verified_fingerprints()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        await using var ours = await OurDtlsPeer.StartAsync(IceRole.Controlling);

        var offer = ours.CreateOffer();
        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.ToString());
        var answer = SessionDescription.Parse(await libwebrtc.CreateAnswerAsync());
        ours.ApplyRemote(answer);
        await TrickleAsync(ours, libwebrtc, offer.GetDataChannel().Mid!);

        var role = DtlsRoleNegotiation.OffererRole(ours.Remote!.Setup);
        var dtls = await ours.ConnectAsync(role).WaitAsync(Patience);

        Assert.Equal("connected", await libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed"));
        Assert.Equal("connected", await libwebrtc.WaitForDtlsStateAsync(Patience, "connected", "failed"));
        await AssertFingerprintsVerifiedAsync(libwebrtc, ours, dtls);
        await AssertOrderlyCloseAsync(libwebrtc, ours, dtls);
    }

    [SkippableFact]
    public async Task Libwebrtc_offer_and_our_answer_must_connect_with_verified_fingerprints()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);
        await using var ours = await OurDtlsPeer.StartAsync(IceRole.Controlled);

        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync());
        var answer = ours.CreateAnswer(offer);
        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer.ToString());
        await TrickleAsync(ours, libwebrtc, answer.GetDataChannel().Mid!);

        var role = DtlsRoleNegotiation.RoleOf(answer.GetDataChannel().Setup);
        Assert.Equal(DtlsRole.Client, role);
        var dtls = await ours.ConnectAsync(role).WaitAsync(Patience);

        Assert.Equal("connected", await libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed"));
        Assert.Equal("connected", await libwebrtc.WaitForDtlsStateAsync(Patience, "connected", "failed"));
        await AssertFingerprintsVerifiedAsync(libwebrtc, ours, dtls);
        await AssertOrderlyCloseAsync(libwebrtc, ours, dtls);
    }

    [SkippableFact]
    public async Task A_renewed_libwebrtc_peer_connection_must_connect_afresh_in_the_same_driver()
    {
        // The bench keeps one warm driver per pair and renews its peer connection before each handshake.
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        var fingerprints = new List<DtlsFingerprint>();
        for (var round = 0; round < 2; round++)
        {
            if (round > 0) await libwebrtc.RenewAsync(WrtcRole.Answerer);
            Assert.Empty(libwebrtc.ConnectionStates); // nothing of the closed connection is reported as the new one's
            await using var ours = await OurDtlsPeer.StartAsync(IceRole.Controlling);
            var offer = ours.CreateOffer();
            await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.ToString());
            ours.ApplyRemote(SessionDescription.Parse(await libwebrtc.CreateAnswerAsync()));
            await TrickleAsync(ours, libwebrtc, offer.GetDataChannel().Mid!);
            var dtls = await ours.ConnectAsync(DtlsRoleNegotiation.OffererRole(ours.Remote!.Setup)).WaitAsync(Patience);

            Assert.Equal("connected", await libwebrtc.WaitForConnectionStateAsync(Patience, "connected", "failed"));
            await AssertFingerprintsVerifiedAsync(libwebrtc, ours, dtls);
            fingerprints.Add(ours.Remote.Fingerprint);
        }
        Assert.NotEqual(fingerprints[0], fingerprints[1]); // a fresh peer connection, with its own certificate
    }

    [SkippableFact]
    public async Task A_fingerprint_we_do_not_expect_must_fail_our_side_and_libwebrtc()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);
        await using var ours = await OurDtlsPeer.StartAsync(IceRole.Controlled);
        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync());
        var answer = ours.CreateAnswer(offer);
        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer.ToString());
        await TrickleAsync(ours, libwebrtc, answer.GetDataChannel().Mid!);

        var wrong = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)).Fingerprint;
        var mismatch = await Assert.ThrowsAsync<DtlsFingerprintMismatchException>(
            () => ours.ConnectAsync(DtlsRole.Client, expectedRemote: wrong).WaitAsync(Patience));

        Assert.Equal(ours.Remote!.Fingerprint, mismatch.Actual);
        await ours.Agent.Closed.WaitAsync(Patience); // the failed handshake released the ICE agent under it
        Assert.Equal("failed", await libwebrtc.WaitForDtlsStateAsync(Patience, "connected", "failed"));
        Assert.DoesNotContain("connected", libwebrtc.ConnectionStates);
    }

    [SkippableFact]
    public async Task A_fingerprint_libwebrtc_does_not_expect_must_fail_libwebrtc_and_our_side()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        await using var ours = await OurDtlsPeer.StartAsync(IceRole.Controlling);
        var impostor = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)).Fingerprint;

        var offer = ours.CreateOffer(announced: impostor);
        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.ToString());
        ours.ApplyRemote(SessionDescription.Parse(await libwebrtc.CreateAnswerAsync()));
        await TrickleAsync(ours, libwebrtc, offer.GetDataChannel().Mid!);

        var error = await Assert.ThrowsAnyAsync<DtlsException>(
            () => ours.ConnectAsync(DtlsRoleNegotiation.OffererRole(ours.Remote!.Setup), handshakeTimeout: TimeSpan.FromSeconds(10))
                .WaitAsync(Patience));

        Assert.Contains("certificate", error.Message); // libwebrtc's alert (certificate_unknown) names the cause
        await ours.Agent.Closed.WaitAsync(Patience);
        Assert.Equal("failed", await libwebrtc.WaitForDtlsStateAsync(Patience, "connected", "failed"));
        Assert.DoesNotContain("connected", libwebrtc.ConnectionStates);
    }

    /// <summary>Both directions of trickle: ours as they were gathered, libwebrtc's until its gathering ends.</summary>
    private static async Task TrickleAsync(OurDtlsPeer ours, WrtcPeer libwebrtc, string mid)
    {
        foreach (var candidate in ours.LocalCandidateSignals(mid)) await libwebrtc.AddIceCandidateAsync(candidate);
        var received = 0;
        while (await libwebrtc.NextCandidateAsync(received, Patience) is { } candidate)
        {
            received++;
            ours.AddRemoteCandidate(candidate);
        }
        ours.Agent.AddRemoteEndOfCandidates();
    }

    private static async Task AssertFingerprintsVerifiedAsync(WrtcPeer libwebrtc, OurDtlsPeer ours, DtlsConnection dtls)
    {
        var reported = await libwebrtc.GetCertificatesAsync();
        Assert.Equal("connected", reported.DtlsState);
        Assert.Equal(ours.Certificate.Fingerprint, DtlsFingerprint.Parse($"{reported.RemoteAlgorithm} {reported.RemoteFingerprint}"));
        Assert.Equal(ours.Remote!.Fingerprint, DtlsFingerprint.Parse($"{reported.LocalAlgorithm} {reported.LocalFingerprint}"));
        Assert.Equal(ours.Remote.Fingerprint, dtls.RemoteFingerprint);
        Assert.True(dtls.Negotiated!.ExtendedMasterSecret);
    }

    /// <summary>Our close sends close_notify, which libwebrtc honours; our thread, pump and ICE agent are released.</summary>
    private static async Task AssertOrderlyCloseAsync(WrtcPeer libwebrtc, OurDtlsPeer ours, DtlsConnection dtls)
    {
        await dtls.DisposeAsync();

        Assert.False(dtls.IsWorkerAlive);
        Assert.False(dtls.IsPumpRunning);
        await ours.Agent.Closed.WaitAsync(Patience);
        Assert.Equal("closed", await libwebrtc.WaitForDtlsStateAsync(Patience, "closed", "failed"));
    }
}
