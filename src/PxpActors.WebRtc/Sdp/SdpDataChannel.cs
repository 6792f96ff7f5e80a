using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// The data-channel transport a peer described: where it is (m-line index and mid), its ICE credentials
/// and candidates, its certificate fingerprint and DTLS setup, and its SCTP port and message size limit.
/// </summary>
public sealed record SdpDataChannel(
    int MLineIndex,
    string? Mid,
    string IceUfrag,
    string IcePwd,
    bool IceLite,
    IReadOnlyList<string> IceOptions,
    DtlsFingerprint Fingerprint,
    DtlsSetup Setup,
    int SctpPort,
    long MaxMessageSize,
    IReadOnlyList<IceCandidate> Candidates,
    bool EndOfCandidates)
{
    /// <summary>RFC 8841 section 5.2: the SCTP port when <c>a=sctp-port</c> is absent.</summary>
    public const int DefaultSctpPort = 5000;

    /// <summary>RFC 8841 section 6: the limit when <c>a=max-message-size</c> is absent. 0 would mean "no limit".</summary>
    public const long DefaultMaxMessageSize = 65536;

    /// <summary>True when the peer supports trickle ICE (RFC 8840): candidates may still arrive.</summary>
    public bool Trickle => IceOptions.Contains("trickle");

    internal static SdpDataChannel From(SessionDescription description)
    {
        var index = -1;
        for (var i = 0; i < description.Media.Count; i++)
        {
            if (description.Media[i].IsDataChannel && !description.Media[i].IsRejected)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
            throw new SdpException("The description has no data channel section (m=application … UDP/DTLS/SCTP webrtc-datachannel).");

        var media = description.Media[index];
        var where = $"The data channel section (m-line {index}{(media.Mid is null ? "" : $", mid {media.Mid}")})";
        var ufrag = media.IceUfrag ?? description.IceUfrag ?? throw new SdpException($"{where} has no a=ice-ufrag.");
        var pwd = media.IcePwd ?? description.IcePwd ?? throw new SdpException($"{where} has no a=ice-pwd.");
        var fingerprints = media.Fingerprints.Count > 0 ? media.Fingerprints : description.Fingerprints;
        var fingerprint = fingerprints.FirstOrDefault(f => f.Algorithm == DtlsFingerprint.Sha256)
            ?? fingerprints.FirstOrDefault(f => f.IsVerifiable)
            ?? throw new SdpException(fingerprints.Count == 0
                ? $"{where} has no a=fingerprint."
                : $"{where} has only fingerprints we cannot verify ({string.Join(", ", fingerprints.Select(f => f.Algorithm))}).");
        var setup = media.Setup ?? description.Setup ?? DtlsSetup.Active; // RFC 4145 section 4: absent means active
        var iceOptions = media.IceOptions.Count > 0 ? media.IceOptions : description.IceOptions;

        // Bundled sections share one transport: their candidates are candidates for the data channel too.
        var bundle = description.Bundle;
        var candidates = bundle is not null && media.Mid is not null && bundle.Mids.Contains(media.Mid)
            ? description.Media.Where(m => m.Mid is not null && bundle.Mids.Contains(m.Mid)).SelectMany(m => m.Candidates).DistinctBy(c => c.ToString()).ToList()
            : media.Candidates;

        return new SdpDataChannel(index, media.Mid, ufrag, pwd, description.IceLite, iceOptions, fingerprint, setup,
            media.SctpPort ?? DefaultSctpPort, media.MaxMessageSize ?? DefaultMaxMessageSize, candidates, media.EndOfCandidates);
    }
}
