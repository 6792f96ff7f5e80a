namespace PxpActors.TestSupport.Browser;

/// <summary>How a page's WebRTC shows its host addresses.</summary>
public enum ChromiumMode
{
    /// <summary>Chromium's default: host candidates are mDNS ".local" names, never loopback.</summary>
    Mdns,

    /// <summary>
    /// Real host candidates on every interface, loopback included: the pages are granted camera and microphone
    /// (over DevTools) and Chromium runs with <c>--allow-loopback-in-peer-connection</c>.
    /// </summary>
    Plain,
}
