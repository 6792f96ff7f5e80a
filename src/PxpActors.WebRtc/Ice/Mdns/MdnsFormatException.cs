namespace PxpActors.WebRtc.Ice.Mdns;

/// <summary>An mDNS message that is malformed, or not the response it was read as.</summary>
public sealed class MdnsFormatException(string message) : FormatException(message);
