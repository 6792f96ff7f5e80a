using System.Text.Json;

namespace PxpActors.Host;

/// <summary>
/// The host's output: with --json one JSON object a line, exactly the events of the README ("The standalone node");
/// otherwise short human-readable lines. Thread-safe (events arrive from several threads).
/// </summary>
internal sealed class HostOutput(bool json, TextWriter writer)
{
    private readonly object _gate = new();

    public void Listening(Uri url) => Write(new { @event = "listening", url = url.ToString().TrimEnd('/') },
        $"listening on {url.ToString().TrimEnd('/')}");

    public void Peer(string transport, bool incoming, int peers) => Write(new { @event = "peer", transport, incoming, peers },
        $"peer added ({transport}, {(incoming ? "incoming" : "outgoing")}); {peers} peer(s)");

    public void Connect(string transport, bool incoming) => Write(new { @event = "connect", transport, incoming },
        $"application connection opened ({transport}, {(incoming ? "incoming" : "outgoing")})");

    public void Data(string text) => Write(new { @event = "data", text }, $"data: {text}");

    public void Disconnect(int peers) => Write(new { @event = "disconnect", peers }, $"peer removed; {peers} peer(s)");

    public void Error(string message) => Write(new { @event = "error", message }, $"error: {message}");

    public void Closed() => Write(new { @event = "closed" }, "closed");

    private void Write(object payload, string human)
    {
        var line = json ? JsonSerializer.Serialize(payload) : human;
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
