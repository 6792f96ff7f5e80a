using Akka.Configuration;

namespace PxpActors.Actors;

/// <summary>How relayed sessions are upgraded to WebRTC (the <c>pxp.webrtc</c> section).</summary>
/// <param name="IceServers">stun:HOST:PORT URLs; none means host candidates only.</param>
/// <param name="Timeout">Longest an upgrade may take from its first signal to an open data channel, in either role.</param>
/// <param name="IncludeLoopback">Gather candidates on loopback interfaces too.</param>
/// <param name="ReadBufferSize">
/// Most bytes one read of an upgraded session's data channel takes; an idle session holds a pooled buffer of this size
/// while it waits, so a simulation of thousands of nodes sets it small.
/// </param>
public sealed record UpgradeSettings(IReadOnlyList<string> IceServers, TimeSpan Timeout, bool IncludeLoopback, int ReadBufferSize = 64 * 1024)
{
    /// <summary>Reads the <c>webrtc</c> section of a <c>pxp</c> config; a bad ICE server URL is a configuration error.</summary>
    public static UpgradeSettings Create(Config webrtc)
    {
        var servers = webrtc.GetStringList("ice-servers");
        foreach (var server in servers)
        {
            if (!server.StartsWith("stun:", StringComparison.OrdinalIgnoreCase))
                throw new ConfigurationException($"pxp.webrtc.ice-servers: \"{server}\" is not a stun:HOST:PORT URL");
        }
        var readBufferSize = webrtc.GetByteSize("read-buffer-size") ?? 64 * 1024;
        if (readBufferSize is < 1 or > int.MaxValue)
            throw new ConfigurationException($"pxp.webrtc.read-buffer-size: {readBufferSize} is not a buffer size");
        return new UpgradeSettings(servers.ToArray(), webrtc.GetTimeSpan("upgrade-timeout"), webrtc.GetBoolean("include-loopback"),
            (int)readBufferSize);
    }
}
