using System.Security.Cryptography;
using PxpActors.WebRtc.Dtls;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// Builds our offers and answers: one data-channel section shaped as libwebrtc writes it
/// (<c>m=application 9 UDP/DTLS/SCTP webrtc-datachannel</c>, <c>c=IN IP4 0.0.0.0</c>, trickle, BUNDLE).
/// </summary>
public static class DataChannelSdp
{
    /// <summary>An offer (JSEP section 5.2): <c>a=setup:actpass</c>, the data channel under <paramref name="mid"/>.</summary>
    public static SessionDescription CreateOffer(DataChannelSdpParameters local, string mid = "0", ulong? sessionId = null) =>
        new()
        {
            Origin = NewOrigin(sessionId),
            Groups = [new SdpGroup(SdpGroup.Bundle, [mid])],
            Attributes = [new SdpAttribute("msid-semantic", " WMS")],
            Media = [DataChannelSection(local, mid, DtlsRoleNegotiation.OfferSetup)],
        };

    /// <summary>
    /// An answer (JSEP section 5.3) to <paramref name="offer"/>: its data-channel section accepted under
    /// the offer's mid with <c>a=setup</c> per <see cref="DtlsRoleNegotiation.AnswerSetup"/>, every other
    /// section rejected with port 0 (an answer has as many m-lines as its offer, in the same order).
    /// </summary>
    public static SessionDescription CreateAnswer(SessionDescription offer, DataChannelSdpParameters local, ulong? sessionId = null)
    {
        var remote = offer.GetDataChannel();
        var mid = remote.Mid ?? remote.MLineIndex.ToString();
        var media = offer.Media.Select((section, index) => index == remote.MLineIndex
            ? DataChannelSection(local, mid, DtlsRoleNegotiation.AnswerSetup(remote.Setup))
            : Rejected(section)).ToList();
        return new SessionDescription
        {
            Origin = NewOrigin(sessionId),
            Groups = offer.Bundle is null ? [] : [new SdpGroup(SdpGroup.Bundle, [mid])],
            Attributes = [new SdpAttribute("msid-semantic", " WMS")],
            Media = media,
        };
    }

    private static MediaDescription DataChannelSection(DataChannelSdpParameters local, string mid, DtlsSetup setup) => new()
    {
        Media = MediaDescription.ApplicationMedia,
        Port = 9,
        Protocol = MediaDescription.DataChannelProtocol,
        Formats = [MediaDescription.DataChannelFormat],
        Connection = SdpConnection.Placeholder,
        Candidates = local.Candidates,
        IceUfrag = local.IceUfrag,
        IcePwd = local.IcePwd,
        IceOptions = ["trickle"],
        Fingerprints = [local.Fingerprint],
        Setup = setup,
        Mid = mid,
        SctpPort = local.SctpPort,
        MaxMessageSize = local.MaxMessageSize,
    };

    private static MediaDescription Rejected(MediaDescription offered) => new()
    {
        Media = offered.Media,
        Port = 0,
        Protocol = offered.Protocol,
        Formats = offered.Formats,
        Connection = SdpConnection.Placeholder,
        Mid = offered.Mid,
    };

    /// <summary>JSEP section 5.2.1: a random session id below 2^63 and version 2, as libwebrtc starts.</summary>
    private static SdpOrigin NewOrigin(ulong? sessionId)
    {
        var id = sessionId ?? (BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2);
        return new SdpOrigin("-", id.ToString(), 2, "IN", "IP4", "127.0.0.1");
    }
}
