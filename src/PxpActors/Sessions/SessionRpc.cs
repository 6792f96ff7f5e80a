using System.Text.Json;
using Akka.Actor;
using Akka.IO;
using PxpActors.Actors;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Resources;
using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Sessions;

/// <summary>
/// The RPC of one session on its "pxp" substream (PROTOCOL.md sections 3-4): lines read into messages (each bounded in
/// size, the peer's requests bounded in rate), messages written, our requests awaiting replies (bounded in number, each
/// with a timeout on the session actor's timers) and the peer's requests awaiting the substream that answers them.
/// State of one PeerActor, made in its PreStart (its timers exist from then on).
/// </summary>
internal sealed class SessionRpc
{
    private readonly ExchangeSettings _settings;
    private readonly ITimerScheduler _timers;
    private readonly LineDecoder _lines;
    private readonly RequestRateLimiter _rateLimiter;
    // Our requests awaiting the peer's reply, by our nonce.
    private readonly Dictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    // The peer's requests we answer once their substream is open, by the peer's nonce: the two sides count nonces
    // independently, so the peer's "4" and ours can be outstanding at once.
    private readonly Dictionary<string, PendingRequest> _answering = new(StringComparer.Ordinal);
    private SubstreamWriter? _channel;
    private long _nextNonce;

    public SessionRpc(ExchangeSettings settings, TimeProvider time, ITimerScheduler timers)
    {
        _settings = settings;
        _timers = timers;
        _rateLimiter = new RequestRateLimiter(settings.MaxIncomingRequestsPerSecond, time);
        _lines = new LineDecoder(settings.MaxRpcLine);
    }

    /// <summary>Our direction of the "pxp" substream, once opened.</summary>
    public SubstreamWriter? Channel => _channel;

    /// <summary>No part of a line is waiting for its end.</summary>
    public bool IsAtLineBoundary => _lines.IsAtLineBoundary;

    public void Open(SubstreamWriter channel) => _channel = channel;

    /// <summary>Cuts a chunk into lines, each handled before the next; throws <see cref="PxpProtocolException"/> on a line too long.</summary>
    public void Read(ReadOnlySpan<byte> chunk, Action<ReadOnlyMemory<byte>> onLine) => _lines.Decode(chunk, onLine);

    /// <summary>One line as a message; throws <see cref="PxpProtocolException"/> when it is not one, or the peer floods us with requests.</summary>
    public PxpMessage Decode(ReadOnlyMemory<byte> line)
    {
        var message = RpcCodec.Decode(line);
        if (message is Hello or Response) return message;
        if (!_rateLimiter.TryTake())
            throw new PxpProtocolException($"Peer is flooding: more than {_settings.MaxIncomingRequestsPerSecond} requests per second");
        Count(message.Command, "in", outcome: null);
        return message;
    }

    public string NextNonce() => Nonce.Format(_nextNonce++);

    public void Send(PxpMessage message) => _channel?.TrySend(ByteString.FromBytes(RpcCodec.Encode(message)));

    public void Reply(string nonce, JsonElement args) => Send(new Response(nonce, args));

    /// <summary>Our request <paramref name="nonce"/> waits for its substream to open before it is sent.</summary>
    public void AwaitSubstream(string nonce, PendingRequest pending) => _pending[nonce] = pending;

    /// <summary>The peer's request <paramref name="nonce"/> is answered once its substream is open.</summary>
    public void AnswerOnceOpen(string nonce, PendingRequest pending) => _answering[nonce] = pending;

    /// <summary>The request a substream was opened for, if it still waits (ours, or the peer's when <paramref name="theirs"/>).</summary>
    public bool TryGetOpening(string nonce, bool theirs, out PendingRequest pending) =>
        (theirs ? _answering : _pending).TryGetValue(nonce, out pending!);

    public void ForgetOpening(string nonce, bool theirs) => (theirs ? _answering : _pending).Remove(nonce);

    /// <summary>Sends our request, to be answered within pxp.request-timeout, unless too many wait already (refused to its asker).</summary>
    public void SendRequest(PxpMessage request, PendingRequest pending)
    {
        _pending.Remove(request.Nonce);
        if (_pending.Count >= _settings.MaxPendingRequests)
        {
            pending.Stream?.Close();
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException(
                $"Too many requests waiting for replies (limit {_settings.MaxPendingRequests})")));
            return;
        }
        _pending[request.Nonce] = pending;
        _timers.StartSingleTimer(("request", request.Nonce), new RequestTimedOut(request.Nonce, request.Command), _settings.RequestTimeout);
        Send(request);
    }

    /// <summary>The request a reply answers, no longer timed; false for a nonce we never sent or that is over.</summary>
    public bool TryTakeReplied(string nonce, out PendingRequest pending)
    {
        if (!_pending.Remove(nonce, out pending!)) return false;
        _timers.Cancel(("request", nonce));
        return true;
    }

    /// <summary>The request whose timeout fired, if it still waited.</summary>
    public bool TryTakeTimedOut(string nonce, out PendingRequest pending) => _pending.Remove(nonce, out pending!);

    /// <summary>The session is over: every asker still waiting for a reply hears so.</summary>
    public void FailPending()
    {
        foreach (var pending in _pending.Values)
            pending.ReplyTo?.Tell(new Status.Failure(new PxpRequestException("The PXP session closed before the reply")));
        _pending.Clear();
    }

    public static void Count(string command, string direction, string? outcome) =>
        Diagnostics.PxpMetrics.Requests.Add(1, new System.Diagnostics.TagList
        {
            { "command", command }, { "direction", direction }, { "outcome", outcome },
        });

    /// <summary>Our request <paramref name="Nonce"/> has had no reply within pxp.request-timeout.</summary>
    public sealed record RequestTimedOut(string Nonce, string Command);
}
