using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;

namespace PxpActors.WebRtc.Sdp;

/// <summary>Our side of a data-channel description: ICE credentials, certificate fingerprint, SCTP limits.</summary>
public sealed record DataChannelSdpParameters(string IceUfrag, string IcePwd, DtlsFingerprint Fingerprint)
{
    /// <summary>The a=sctp-port (5000 by default).</summary>
    public int SctpPort { get; init; } = SdpDataChannel.DefaultSctpPort;

    /// <summary>Largest message we accept; libwebrtc announces 262144.</summary>
    public long MaxMessageSize { get; init; } = 262144;

    /// <summary>Candidates known when the description is made; with trickle usually none.</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];
}
