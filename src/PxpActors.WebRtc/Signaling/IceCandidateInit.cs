namespace PxpActors.WebRtc.Signaling;

/// <summary>
/// A trickled ICE candidate as simple-peer@6 copies it from the browser's RTCIceCandidate: the
/// <c>candidate:…</c> line (no <c>a=</c> prefix) and the m-line it belongs to, by index and by mid.
/// Either locator may be null when the sender's stack does not set it.
/// </summary>
public sealed record IceCandidateInit(string Candidate, int? SdpMLineIndex, string? SdpMid);
