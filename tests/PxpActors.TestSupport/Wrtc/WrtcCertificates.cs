namespace PxpActors.TestSupport.Wrtc;

/// <summary>
/// Certificate fingerprints libwebrtc reports in getStats for its DTLS transport: its own, and the
/// peer's it verified during the handshake (null until then). Values are <c>AB:CD:…</c> hex.
/// </summary>
public sealed record WrtcCertificates(string? LocalAlgorithm, string? LocalFingerprint,
    string? RemoteAlgorithm, string? RemoteFingerprint, string? DtlsState);
