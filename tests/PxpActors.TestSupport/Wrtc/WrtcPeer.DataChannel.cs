using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.Wrtc;

/// <summary>The data channel of the driver's peer connection (the one it created as offerer, or the last one it was offered).</summary>
public sealed partial class WrtcPeer
{
    /// <summary>Waits until libwebrtc reports the channel <paramref name="label"/> in <paramref name="state"/> ("open", "closing", "closed").</summary>
    public Task WaitForDataChannelStateAsync(string label, string state, TimeSpan? timeout = null) =>
        WaitForEventAsync(events => events.FirstOrDefault(e => IsChannelState(e, label, state)), timeout);

    /// <summary>True once libwebrtc reported the channel <paramref name="label"/> in <paramref name="state"/>.</summary>
    public bool SawDataChannelState(string label, string state)
    {
        lock (_events)
            return _events.Any(e => IsChannelState(e, label, state));
    }

    private static bool IsChannelState(JsonObject e, string label, string state) =>
        Name(e) == "dataChannel" && (string?)e["label"] == label && (string?)e["state"] == state;

    /// <summary>The channel's readyState right now (null before there is one).</summary>
    public async Task<string?> GetDataChannelStateAsync() =>
        (string?)(await CommandAsync(new JsonObject { ["cmd"] = "channelState" }).ConfigureAwait(false))["readyState"];

    /// <summary>libwebrtc's RTCSctpTransport.maxMessageSize: what it will send us, from our a=max-message-size.</summary>
    public async Task<long?> GetSctpMaxMessageSizeAsync() =>
        (long?)(await CommandAsync(new JsonObject { ["cmd"] = "sctpMaxMessageSize" }).ConfigureAwait(false))["maxMessageSize"];

    public Task SendBinaryAsync(ReadOnlyMemory<byte> data) =>
        CommandAsync(new JsonObject { ["cmd"] = "sendBinary", ["base64"] = Convert.ToBase64String(data.Span) });

    public Task SendTextAsync(string text) => CommandAsync(new JsonObject { ["cmd"] = "send", ["text"] = text });

    /// <summary>The <paramref name="skip"/>-th binary message libwebrtc received (waits for it).</summary>
    public async Task<byte[]> NextBinaryMessageAsync(int skip, TimeSpan? timeout = null)
    {
        var message = await WaitForEventAsync(
            events => events.Where(e => Name(e) == "message" && e["binary"] is not null).Skip(skip).FirstOrDefault(), timeout).ConfigureAwait(false);
        return Convert.FromBase64String((string)message["base64"]!);
    }

    /// <summary>
    /// While on, libwebrtc sends every message it receives on the channel straight back (text as text,
    /// binary as binary) instead of reporting it: the far end of a round-trip measurement.
    /// </summary>
    public Task EchoIncomingAsync(bool on = true) => CommandAsync(new JsonObject { ["cmd"] = "echo", ["on"] = on });

    /// <summary>From now on binary messages are hashed in node instead of reported one by one.</summary>
    public Task HashIncomingAsync() => CommandAsync(new JsonObject { ["cmd"] = "hashIncoming" });

    /// <summary>Waits until <paramref name="bytes"/> bytes were hashed; returns the SHA-256 (hex) and the message count.</summary>
    public async Task<(string Sha256, long Bytes, long Messages)> WaitForHashAsync(long bytes, TimeSpan timeout)
    {
        var reply = await CommandAsync(new JsonObject
        {
            ["cmd"] = "waitHash", ["bytes"] = bytes, ["timeoutMs"] = (long)timeout.TotalMilliseconds,
        }, timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return ((string)reply["sha256"]!, (long)reply["bytes"]!, (long)reply["messages"]!);
    }

    /// <summary>libwebrtc sends <paramref name="bytes"/> random bytes in <paramref name="chunk"/>-byte messages; returns their SHA-256 (hex).</summary>
    public async Task<string> SendStreamAsync(long bytes, int chunk, TimeSpan timeout)
    {
        var reply = await CommandAsync(new JsonObject { ["cmd"] = "sendStream", ["bytes"] = bytes, ["chunk"] = chunk }, timeout).ConfigureAwait(false);
        return (string)reply["sha256"]!;
    }

    /// <summary>RTCPeerConnection.close(): libwebrtc tears its SCTP association and DTLS down.</summary>
    public Task ClosePeerConnectionAsync() => CommandAsync(new JsonObject { ["cmd"] = "close" });

    public Task CloseDataChannelAsync() => CommandAsync(new JsonObject { ["cmd"] = "closeChannel" });
}
