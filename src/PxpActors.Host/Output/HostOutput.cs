using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PxpActors.Host.Output;

/// <summary>
/// What the host tells its user. With --json: exactly the events of the README ("The standalone node"), one JSON object a
/// line on stdout. Otherwise: log lines through Microsoft.Extensions.Logging, session errors rate-limited so a flood of
/// failing connections is a few lines and a count, not a line each. Thread-safe (events arrive from several threads).
/// </summary>
internal sealed class HostOutput
{
    private readonly TextWriter? _json;
    private readonly ILogger? _log;
    private readonly ErrorLineLimiter _errors;
    private readonly object _gate = new();

    private HostOutput(TextWriter? json, ILogger? log, TimeProvider clock)
    {
        _json = json;
        _log = log;
        _errors = new ErrorLineLimiter(clock);
    }

    public static HostOutput Json(TextWriter stdout) => new(stdout, null, TimeProvider.System);

    public static HostOutput Human(ILogger log, TimeProvider? clock = null) => new(null, log, clock ?? TimeProvider.System);

    public bool IsJson => _json is not null;

    public void Listening(Uri url)
    {
        var text = url.ToString().TrimEnd('/');
        if (_json is not null) Write(new { @event = "listening", url = text });
        else _log!.LogInformation("listening on {Url}", text);
    }

    /// <summary>--serve-demo: where the demo page is.</summary>
    public void Demo(Uri url)
    {
        if (_json is not null) Write(new { @event = "demo", url = url.ToString() });
        else _log!.LogInformation("demo page at {Url}", url);
    }

    public void Peer(string transport, bool incoming, int peers)
    {
        if (_json is not null) Write(new { @event = "peer", transport, incoming, peers });
        else _log!.LogInformation("peer added over {Transport} ({Direction}); {Peers} peer(s)", transport, Direction(incoming), peers);
    }

    public void Connect(string transport, bool incoming)
    {
        if (_json is not null) Write(new { @event = "connect", transport, incoming });
        else _log!.LogInformation("application connection opened over {Transport} ({Direction})", transport, Direction(incoming));
    }

    public void Data(string text)
    {
        if (_json is not null) Write(new { @event = "data", text });
        else _log!.LogInformation("data: {Text}", text);
    }

    public void Disconnect(int peers)
    {
        if (_json is not null) Write(new { @event = "disconnect", peers });
        else _log!.LogInformation("peer removed; {Peers} peer(s)", peers);
    }

    /// <summary>An error of the node or of one session (in human form, at most a few a window; the rest are counted).</summary>
    public void Error(string message)
    {
        if (_json is not null)
        {
            Write(new { @event = "error", message });
            return;
        }
        var (print, suppressed) = _errors.Take();
        if (suppressed > 0) _log!.LogWarning("{Count} more error(s) in the last {Seconds} s were not printed", suppressed, ErrorLineLimiter.Window.TotalSeconds);
        if (print) _log!.LogWarning("error: {Message}", message);
    }

    /// <summary>Says how many errors were held back since the last line, if any (the status line calls it).</summary>
    public void FlushSuppressedErrors()
    {
        if (_json is not null) return;
        var suppressed = _errors.TakeSuppressed();
        if (suppressed > 0) _log!.LogWarning("{Count} more error(s) in the last {Seconds} s were not printed", suppressed, ErrorLineLimiter.Window.TotalSeconds);
    }

    public void Status(string line)
    {
        if (_json is null) _log!.LogInformation("{Status}", line);
    }

    public void Closed()
    {
        if (_json is not null) Write(new { @event = "closed" });
        else _log!.LogInformation("closed");
    }

    private static string Direction(bool incoming) => incoming ? "incoming" : "outgoing";

    private void Write(object payload)
    {
        var line = JsonSerializer.Serialize(payload);
        lock (_gate)
        {
            _json!.WriteLine(line);
            _json.Flush();
        }
    }
}
