using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// The full ICE agent of RFC 8445 as a state machine without I/O: inputs are sockets, remote candidates,
/// received datagrams and the current time; outputs are datagrams to send (<see cref="TryDequeueTransmit"/>),
/// events (<see cref="TryDequeueEvent"/>) and the next time it wants to be woken (<see cref="NextTimeout"/>).
/// Not thread-safe: <see cref="IceAgent"/> serialises every call.
/// </summary>
internal sealed class IceAgentCore
{
    private const int MaxLocalCandidates = 64;

    private readonly IceAgentOptions _options;
    private readonly IceChecklist _checklist;
    private readonly Dictionary<StunTransactionId, IceTransaction> _transactions = [];
    private readonly List<IceLocalCandidate> _localCandidates = [];
    private readonly Dictionary<int, IceLocalCandidate> _hostBySocket = [];
    private readonly List<IceRemoteCandidate> _remoteCandidates = [];
    private readonly HashSet<(int SocketId, IPEndPoint Remote)> _authenticatedRemotes = [];
    private readonly Queue<IceTransmit> _transmits = new();
    private readonly Queue<IceEvent> _events = new();
    private readonly byte[] _localKey;
    private readonly IceConsent _consent;
    private IceCredentials? _remoteCredentials;
    private byte[]? _remoteKey;
    private bool _started;
    private bool _hostGatheringDone;
    private bool _remoteEndOfCandidates;
    private DateTimeOffset? _nextCheckAt;
    private DateTimeOffset _lastCheckAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _connectDeadline;
    private DateTimeOffset? _nominateAt;
    private IceCandidatePair? _nominating;
    private int _peerReflexiveCount;
    private bool _validPairReported;

    public IceAgentCore(IceAgentOptions options, Random random)
    {
        options.Validate();
        _options = options;
        _checklist = new IceChecklist(options.MaxPairs);
        _consent = new IceConsent(options, random);
        LocalCredentials = options.Credentials ?? IceCredentials.Generate();
        TieBreaker = options.TieBreaker ?? (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        Role = options.Role;
        _localKey = StunCredentials.ShortTermKey(LocalCredentials.Password);
    }

    public IceCredentials LocalCredentials { get; }
    public IceCredentials? RemoteCredentials => _remoteCredentials;
    public ulong TieBreaker { get; }
    public IceRole Role { get; private set; }
    public IceConnectionState State { get; private set; } = IceConnectionState.New;
    public IceGatheringState GatheringState { get; private set; } = IceGatheringState.New;
    public IceCandidatePair? SelectedPair { get; private set; }
    public IceException? Error { get; private set; }
    public IReadOnlyList<IceCandidatePair> Pairs => _checklist.Pairs;
    public IReadOnlyList<IceCandidate> LocalCandidates => _localCandidates.Select(c => c.Candidate).ToList();
    public IReadOnlyList<IceCandidate> RemoteCandidates => _remoteCandidates.Select(c => c.Candidate).ToList();

    /// <summary>Number of STUN requests still waiting for a response or a retransmission.</summary>
    public int PendingTransactions => _transactions.Count;

    public bool IsTerminal => State is IceConnectionState.Failed or IceConnectionState.Closed;

    public bool TryDequeueTransmit(out IceTransmit transmit) => _transmits.TryDequeue(out transmit);

    public bool TryDequeueEvent([MaybeNullWhen(false)] out IceEvent iceEvent) => _events.TryDequeue(out iceEvent);

    /// <summary>Starts the agent: gathering begins and the connect timeout runs from now.</summary>
    public void Start(DateTimeOffset now)
    {
        if (_started) return;
        _started = true;
        GatheringState = IceGatheringState.Gathering;
        _connectDeadline = now + _options.ConnectTimeout;
    }

    /// <summary>A socket was bound: it becomes a host candidate and is paired with known remote candidates.</summary>
    public void AddHostSocket(int socketId, IPEndPoint localEndPoint, DateTimeOffset now)
    {
        if (IsTerminal || _hostBySocket.ContainsKey(socketId)) return;
        var localPreference = Math.Max(0, 65535 - _hostBySocket.Count);
        var candidate = IceCandidate.For(localEndPoint, IceCandidateType.Host,
            IcePriority.ForCandidate(IceCandidateType.Host, localPreference, 1),
            IceFoundation.Compute(IceCandidateType.Host, localEndPoint.Address, server: null));
        var local = new IceLocalCandidate(candidate, socketId, localEndPoint, localPreference);
        _hostBySocket.Add(socketId, local);
        _localCandidates.Add(local);
        _events.Enqueue(new IceLocalCandidateEvent(candidate));
        foreach (var remote in _remoteCandidates) Pair(local, remote);
        SchedulePacer(now);
    }

    /// <summary>Asks a STUN server, from one socket, for our server-reflexive address.</summary>
    public void StartServerBinding(int socketId, IPEndPoint server, DateTimeOffset now)
    {
        if (IsTerminal || !_hostBySocket.TryGetValue(socketId, out var host)) return;
        if (host.Base.AddressFamily != server.AddressFamily || IPAddress.IsLoopback(host.Base.Address)) return;
        var id = StunTransactionId.New();
        var request = IceStunMessages.ServerBinding(id);
        Send(new IceTransaction(IceTransactionKind.ServerBinding, id, socketId, server, request,
            _options.MaxServerTransmissions, _options.InitialRto, now));
    }

    /// <summary>Every socket is bound and every server request sent: gathering completes when they are answered.</summary>
    public void CompleteHostGathering()
    {
        _hostGatheringDone = true;
        CheckGatheringComplete();
    }

    public void SetRemoteCredentials(IceCredentials remote, DateTimeOffset now)
    {
        if (_remoteCredentials is not null)
        {
            if (_remoteCredentials == remote) return;
            throw new InvalidOperationException("The remote ICE credentials changed: ICE restart is not supported.");
        }
        _remoteCredentials = remote;
        _remoteKey = StunCredentials.ShortTermKey(remote.Password);
        SchedulePacer(now);
    }

    /// <summary>
    /// Adds a (trickled) remote candidate with its resolved address. Returns false when it is ignored:
    /// not UDP component 1, unusable port, or over the limit.
    /// </summary>
    public bool AddRemoteCandidate(IceCandidate candidate, IPEndPoint endPoint, DateTimeOffset now)
    {
        if (IsTerminal || !candidate.IsUdp || candidate.Component != 1 || endPoint.Port == 0) return false;
        endPoint = Normalize(endPoint);
        var known = FindRemote(endPoint);
        if (known is not null)
        {
            // A signalled candidate replaces the peer-reflexive one learned from its checks (RFC 8445 §7.3.1.3).
            if (known.Candidate.Type == IceCandidateType.PeerReflexive && candidate.Type != IceCandidateType.PeerReflexive)
            {
                known.Candidate = candidate;
                _checklist.Reprioritize(Role);
            }
            return true;
        }
        if (_remoteCandidates.Count >= _options.MaxRemoteCandidates) return false;
        var remote = new IceRemoteCandidate(candidate, endPoint);
        _remoteCandidates.Add(remote);
        foreach (var local in _hostBySocket.Values) Pair(local, remote);
        SchedulePacer(now);
        return true;
    }

    /// <summary>The peer has no more candidates: the checklist may now fail when every pair has.</summary>
    public void AddRemoteEndOfCandidates(DateTimeOffset now)
    {
        _remoteEndOfCandidates = true;
        EvaluateFailure(now);
    }

    /// <summary>
    /// Where upper-layer datagrams go: the selected pair's socket and remote address, or before any pair is
    /// selected the best valid one (RFC 8445 §12.1 lets data flow on any valid pair until then).
    /// </summary>
    public bool TryGetRoute(out int socketId, out IPEndPoint remote)
    {
        var pair = IsTerminal ? null : SelectedPair ?? _checklist.BestSucceeded();
        if (pair is null)
        {
            socketId = 0;
            remote = null!;
            return false;
        }
        socketId = pair.SocketId;
        remote = pair.RemoteEndPoint;
        return true;
    }

    public IceDatagramDisposition HandleDatagram(int socketId, IPEndPoint from, ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        if (IsTerminal || !_hostBySocket.ContainsKey(socketId)) return IceDatagramDisposition.Dropped;
        from = Normalize(from);
        if (DatagramDemux.Classify(datagram) != PacketKind.Stun)
        {
            return _authenticatedRemotes.Contains((socketId, from)) ? IceDatagramDisposition.Application : IceDatagramDisposition.Dropped;
        }
        StunMessage message;
        try
        {
            message = StunMessage.Parse(datagram);
        }
        catch (StunFormatException)
        {
            return IceDatagramDisposition.Dropped;
        }
        if (message.Type.Method != StunMethod.Binding) return IceDatagramDisposition.Dropped;
        switch (message.Type.Class)
        {
            case StunClass.Request:
                HandleRequest(socketId, from, message, now);
                break;
            case StunClass.SuccessResponse:
            case StunClass.ErrorResponse:
                HandleResponse(socketId, from, message, now);
                break;
        }
        return IceDatagramDisposition.Stun;
    }

    /// <summary>The earliest time <see cref="HandleTimeout"/> has work, or null when nothing is scheduled.</summary>
    public DateTimeOffset? NextTimeout
    {
        get
        {
            if (IsTerminal) return null;
            DateTimeOffset? next = null;
            void Consider(DateTimeOffset? t)
            {
                if (t is { } value && (next is null || value < next)) next = value;
            }
            foreach (var transaction in _transactions.Values) Consider(transaction.Deadline);
            Consider(_nextCheckAt);
            Consider(_nominateAt);
            if (SelectedPair is null)
            {
                Consider(_connectDeadline);
            }
            else
            {
                Consider(_consent.NextDeadline(connected: State == IceConnectionState.Connected));
            }
            return next;
        }
    }

    public void HandleTimeout(DateTimeOffset now)
    {
        if (IsTerminal) return;
        foreach (var transaction in _transactions.Values.Where(t => t.Deadline <= now).ToList())
        {
            if (transaction.Retransmit(now, _options.MaxRto))
            {
                _transmits.Enqueue(new IceTransmit(transaction.SocketId, transaction.Destination, transaction.Request));
                continue;
            }
            _transactions.Remove(transaction.Id);
            OnTransactionTimeout(transaction, now);
            if (IsTerminal) return;
        }
        if (_nextCheckAt <= now)
        {
            _nextCheckAt = null;
            var ordinary = SelectedPair is null;
            var pair = _remoteCredentials is null ? null : _checklist.NextCheck(ordinary);
            if (pair is not null) SendCheck(pair, nominating: false, now);
            // Always a full Ta later: frozen pairs waiting on another check must not spin the pacer.
            if (_remoteCredentials is not null && _checklist.HasWork(ordinary)) _nextCheckAt = now + _options.CheckInterval;
        }
        if (_nominateAt <= now)
        {
            _nominateAt = null;
            if (_checklist.BestSucceeded() is { } best) StartNomination(best, now);
        }
        if (SelectedPair is null)
        {
            if (_connectDeadline <= now)
            {
                Fail(IceFailureReason.ConnectTimeout,
                    $"ICE found no working candidate pair within {_options.ConnectTimeout.TotalSeconds:0.#} s ({Describe()}).");
            }
            return;
        }
        var silence = _consent.Silence(now);
        if (silence >= _options.ConsentTimeout)
        {
            Fail(IceFailureReason.ConsentExpired,
                $"ICE consent expired: the peer at {SelectedPair.RemoteEndPoint} answered no consent check for {silence.TotalSeconds:0.#} s (RFC 7675).");
            return;
        }
        if (silence >= _options.DisconnectedTimeout && State == IceConnectionState.Connected) SetState(IceConnectionState.Disconnected);
        if (_consent.IsCheckDue(now))
        {
            SendConsent(SelectedPair, now);
            _consent.CheckSent(now);
        }
    }

    /// <summary>Fails the agent from outside the state machine (the network under it broke).</summary>
    public void Abort(IceException error)
    {
        if (IsTerminal) return;
        Error = error;
        _transactions.Clear();
        SetState(IceConnectionState.Failed);
    }

    /// <summary>Stops everything; pending requests are forgotten and no timeout is scheduled any more.</summary>
    public void Close()
    {
        if (IsTerminal) return;
        _transactions.Clear();
        if (SelectedPair is null) Error = new IceException(IceFailureReason.Closed, "The ICE agent was closed before it connected.");
        SetState(IceConnectionState.Closed);
    }

    private void HandleRequest(int socketId, IPEndPoint from, StunMessage request, DateTimeOffset now)
    {
        // RFC 8445 §7.3: checks carry FINGERPRINT, USERNAME "ours:theirs" and MESSAGE-INTEGRITY with our password.
        if (!request.Has<FingerprintAttribute>()) return;
        var username = request.Get<UsernameAttribute>();
        if (username is null || !request.Has<MessageIntegrityAttribute>())
        {
            SendError(socketId, from, request, ErrorCodeAttribute.BadRequest, "Bad Request", authenticated: false);
            return;
        }
        if (!username.Value.StartsWith(LocalCredentials.Ufrag + ":", StringComparison.Ordinal) || !request.VerifyIntegrity(_localKey))
        {
            SendError(socketId, from, request, ErrorCodeAttribute.Unauthorized, "Unauthorized", authenticated: false);
            return;
        }
        var unknown = request.UnknownComprehensionRequired;
        if (unknown.Count > 0)
        {
            SendError(socketId, from, request, ErrorCodeAttribute.UnknownAttribute, "Unknown Attribute", authenticated: true,
                new UnknownAttributesAttribute(unknown.Take(16).ToList()));
            return;
        }
        var priority = request.Get<PriorityAttribute>();
        if (priority is null)
        {
            SendError(socketId, from, request, ErrorCodeAttribute.BadRequest, "Bad Request: no PRIORITY", authenticated: true);
            return;
        }
        if (!RepairRoleConflict(request, now))
        {
            SendError(socketId, from, request, ErrorCodeAttribute.RoleConflict, "Role Conflict", authenticated: true);
            return;
        }

        _transmits.Enqueue(new IceTransmit(socketId, from, IceStunMessages.Success(request, from, _localKey)));
        if (_authenticatedRemotes.Count < 2 * _options.MaxRemoteCandidates) _authenticatedRemotes.Add((socketId, from));

        var remote = FindRemote(from) ?? AddPeerReflexiveRemote(from, priority.Priority);
        if (remote is null) return;
        var pair = _checklist.Find(socketId, from) ?? _checklist.Add(_hostBySocket[socketId], remote, Role);
        if (pair is null) return;
        pair.LastRequestReceivedAt = now;
        var useCandidate = Role == IceRole.Controlled && request.Has<UseCandidateAttribute>();
        if (pair.State == IceCandidatePairState.Succeeded)
        {
            if (useCandidate) Nominate(pair, now);
            return;
        }
        if (useCandidate) pair.NominateOnSuccess = true;
        if (State == IceConnectionState.New) SetState(IceConnectionState.Checking);
        SendTriggeredCheck(pair, now);
        SchedulePacer(now);
    }

    /// <summary>
    /// RFC 8445 §7.3.1.4: the peer's check triggers ours on the same pair. It goes out at once instead of on
    /// the next Ta tick: the peer's authenticated checks already pace it (one of ours per one of theirs), and
    /// waiting for the pacer would only delay a path the peer has just shown to work.
    /// <para>When our check on the pair is still in flight, the RFC has it replaced by a new one. Usually its
    /// response is a moment away (both sides check at once), so a new check would only add traffic; we
    /// retransmit it within Ta instead, which gives the same recovery when it was lost (say to the peer's
    /// NAT before that opened) without waiting for its retransmission timer (500 ms, doubling).</para>
    /// </summary>
    private void SendTriggeredCheck(IceCandidatePair pair, DateTimeOffset now)
    {
        if (_remoteCredentials is null)
        {
            _checklist.Trigger(pair); // held until the remote password arrives with the answer
            return;
        }
        if (pair.State == IceCandidatePairState.InProgress)
        {
            foreach (var transaction in _transactions.Values)
            {
                if (transaction.Kind == IceTransactionKind.Check && transaction.Pair == pair)
                    transaction.RetransmitNoLaterThan(now + _options.CheckInterval);
            }
            return;
        }
        SendCheck(pair, nominating: false, now);
    }

    /// <summary>
    /// RFC 8445 §7.3.1.1. Returns false when the peer must be told 487; switches our role when we lose.
    /// </summary>
    private bool RepairRoleConflict(StunMessage request, DateTimeOffset now)
    {
        if (Role == IceRole.Controlling && request.Get<IceControllingAttribute>() is { } controlling)
        {
            if (TieBreaker >= controlling.TieBreaker) return false;
            SwitchRole(IceRole.Controlled, now);
        }
        else if (Role == IceRole.Controlled && request.Get<IceControlledAttribute>() is { } controlled)
        {
            if (TieBreaker < controlled.TieBreaker) return false;
            SwitchRole(IceRole.Controlling, now);
        }
        return true;
    }

    private void HandleResponse(int socketId, IPEndPoint from, StunMessage response, DateTimeOffset now)
    {
        if (!_transactions.TryGetValue(response.TransactionId, out var transaction)) return;
        if (transaction.Kind == IceTransactionKind.ServerBinding)
        {
            _transactions.Remove(transaction.Id);
            var mapped = response.Get<XorMappedAddressAttribute>()?.EndPoint ?? response.Get<MappedAddressAttribute>()?.EndPoint;
            if (response.Type.Class == StunClass.SuccessResponse && mapped is not null)
                AddServerReflexive(transaction.SocketId, Normalize(mapped), transaction.Destination);
            CheckGatheringComplete();
            return;
        }
        // A response that fails integrity is discarded as if never received (RFC 8489 §6.3.3).
        if (_remoteKey is null || !response.VerifyIntegrity(_remoteKey)) return;
        var onRequestPath = from.Equals(transaction.Destination) && socketId == transaction.SocketId;
        // Consent is for the pair's path (RFC 7675 §5.1): an answer arriving by another is ignored, and the
        // request stays outstanding for the answer that takes the path.
        if (transaction.Kind == IceTransactionKind.Consent && !onRequestPath) return;
        _transactions.Remove(transaction.Id);
        var pair = transaction.Pair!;

        if (transaction.Kind == IceTransactionKind.Consent)
        {
            if (response.Type.Class == StunClass.SuccessResponse && pair == SelectedPair)
            {
                _consent.Refreshed(now);
                if (State == IceConnectionState.Disconnected) SetState(IceConnectionState.Connected);
            }
            return;
        }

        if (response.Type.Class == StunClass.ErrorResponse)
        {
            if (response.Get<ErrorCodeAttribute>()?.Code == ErrorCodeAttribute.RoleConflict)
            {
                // RFC 8445 §7.2.5.1: flip (once per conflict) and check the pair again.
                if (transaction.Role == Role) SwitchRole(Role == IceRole.Controlling ? IceRole.Controlled : IceRole.Controlling, now);
                if (_nominating == pair) _nominating = null;
                if (pair.State == IceCandidatePairState.Succeeded) ConsiderNomination(now);
                else _checklist.Trigger(pair);
                SchedulePacer(now);
            }
            else
            {
                FailPair(pair, now);
            }
            return;
        }

        // RFC 8445 §7.2.5.2.1: the response must come back on the path the request took.
        var reflexive = response.Get<XorMappedAddressAttribute>()?.EndPoint;
        if (!onRequestPath || reflexive is null)
        {
            FailPair(pair, now);
            return;
        }
        LearnLocalPeerReflexive(transaction.SocketId, Normalize(reflexive), transaction.PeerReflexivePriority);
        pair.State = IceCandidatePairState.Succeeded;
        if (_authenticatedRemotes.Count < 2 * _options.MaxRemoteCandidates) _authenticatedRemotes.Add((socketId, from));
        if (!_validPairReported)
        {
            _validPairReported = true;
            _events.Enqueue(new IceFirstValidPairEvent(pair));
        }
        _checklist.Unfreeze(pair.Foundation);
        if (Role == IceRole.Controlling && transaction.Nominating) Nominate(pair, now);
        else if (Role == IceRole.Controlled && pair.NominateOnSuccess) Nominate(pair, now);
        else if (Role == IceRole.Controlling) ConsiderNomination(now);
        SchedulePacer(now);
    }

    private void OnTransactionTimeout(IceTransaction transaction, DateTimeOffset now)
    {
        switch (transaction.Kind)
        {
            case IceTransactionKind.ServerBinding:
                CheckGatheringComplete();
                break;
            case IceTransactionKind.Check when transaction.Nominating && transaction.Pair!.State == IceCandidatePairState.Succeeded:
                // The pair is known to work; only the nomination got lost. Nominate again.
                if (_nominating == transaction.Pair) _nominating = null;
                ConsiderNomination(now);
                break;
            case IceTransactionKind.Check when transaction.Pair!.LastRequestReceivedAt >= transaction.Started:
                // The peer's own checks reach us on this pair while ours go unanswered: it is alive, so try again
                // (the connect timeout bounds this) rather than give up on a path that half works.
                _checklist.Trigger(transaction.Pair);
                SchedulePacer(now);
                break;
            case IceTransactionKind.Check:
                FailPair(transaction.Pair!, now);
                break;
            case IceTransactionKind.Consent:
                // Consent expiry is judged by the time since the last response, not per request.
                break;
        }
    }

    private void FailPair(IceCandidatePair pair, DateTimeOffset now)
    {
        pair.State = IceCandidatePairState.Failed;
        if (_nominating == pair)
        {
            _nominating = null;
            ConsiderNomination(now);
        }
        EvaluateFailure(now);
    }

    /// <summary>Controlling agent: nominate the best valid pair once nothing better can still succeed, or after the delay.</summary>
    private void ConsiderNomination(DateTimeOffset now)
    {
        if (Role != IceRole.Controlling || SelectedPair is not null || _nominating is not null) return;
        var best = _checklist.BestSucceeded();
        if (best is null) return;
        if (!_checklist.HasPendingBetterThan(best.Priority)) StartNomination(best, now);
        else _nominateAt ??= now + _options.NominationDelay;
    }

    private void StartNomination(IceCandidatePair pair, DateTimeOffset now)
    {
        if (Role != IceRole.Controlling || SelectedPair is not null || _nominating is not null) return;
        _nominateAt = null;
        _nominating = pair;
        SendCheck(pair, nominating: true, now);
    }

    private void Nominate(IceCandidatePair pair, DateTimeOffset now)
    {
        pair.Nominated = true;
        _nominating = null;
        _nominateAt = null;
        // A controlled agent follows the highest-priority nominated pair (RFC 8445 §8.1.1).
        if (SelectedPair is not null && (Role == IceRole.Controlling || pair.Priority <= SelectedPair.Priority)) return;
        var first = SelectedPair is null;
        SelectedPair = pair;
        _events.Enqueue(new IceSelectedPairChangedEvent(pair));
        if (first) _consent.Start(now);
        if (State != IceConnectionState.Connected) SetState(IceConnectionState.Connected);
    }

    private void SwitchRole(IceRole role, DateTimeOffset now)
    {
        Role = role;
        _checklist.Reprioritize(role);
        _nominating = null;
        _nominateAt = null;
        if (role == IceRole.Controlling) ConsiderNomination(now);
    }

    private void SendCheck(IceCandidatePair pair, bool nominating, DateTimeOffset now)
    {
        var id = StunTransactionId.New();
        var prflxPriority = IcePriority.ForCandidate(IceCandidateType.PeerReflexive, pair.LocalCandidate.LocalPreference, 1);
        var request = IceStunMessages.Check(id, LocalCredentials, _remoteCredentials!, _remoteKey!, prflxPriority, Role, TieBreaker, nominating);
        // A valid pair being nominated stays valid: losing the nomination's datagrams does not undo its check.
        if (pair.State != IceCandidatePairState.Succeeded) pair.State = IceCandidatePairState.InProgress;
        _lastCheckAt = now;
        Send(new IceTransaction(IceTransactionKind.Check, id, pair.SocketId, pair.RemoteEndPoint, request,
            _options.MaxCheckTransmissions, _options.InitialRto, now)
        {
            Pair = pair,
            Nominating = nominating,
            Role = Role,
            PeerReflexivePriority = prflxPriority,
        });
        if (State == IceConnectionState.New) SetState(IceConnectionState.Checking);
    }

    private void SendConsent(IceCandidatePair pair, DateTimeOffset now)
    {
        var id = StunTransactionId.New();
        var prflxPriority = IcePriority.ForCandidate(IceCandidateType.PeerReflexive, pair.LocalCandidate.LocalPreference, 1);
        var request = IceStunMessages.Check(id, LocalCredentials, _remoteCredentials!, _remoteKey!, prflxPriority, Role, TieBreaker, nominating: false);
        // Retransmitted like a check, so one lost datagram does not read as a silent peer.
        Send(new IceTransaction(IceTransactionKind.Consent, id, pair.SocketId, pair.RemoteEndPoint, request,
            _options.MaxCheckTransmissions, _options.InitialRto, now) { Pair = pair, Role = Role });
    }

    private void SendError(int socketId, IPEndPoint to, StunMessage request, int code, string reason, bool authenticated,
        StunAttribute? extra = null) =>
        _transmits.Enqueue(new IceTransmit(socketId, to, IceStunMessages.Error(request, code, reason, authenticated ? _localKey : null, extra)));

    private void Send(IceTransaction transaction)
    {
        _transactions[transaction.Id] = transaction;
        _transmits.Enqueue(new IceTransmit(transaction.SocketId, transaction.Destination, transaction.Request));
    }

    /// <summary>Keeps one check per Ta (RFC 8445 §6.1.4.2) while the checklist has work.</summary>
    private void SchedulePacer(DateTimeOffset now)
    {
        if (IsTerminal || _nextCheckAt is not null || _remoteCredentials is null) return;
        if (!_checklist.HasWork(ordinaryChecks: SelectedPair is null)) return;
        var earliest = _lastCheckAt == DateTimeOffset.MinValue ? now : _lastCheckAt + _options.CheckInterval;
        _nextCheckAt = earliest > now ? earliest : now;
    }

    private void EvaluateFailure(DateTimeOffset now)
    {
        if (IsTerminal || SelectedPair is not null || !_remoteEndOfCandidates || _nominating is not null) return;
        if (_checklist.AllFailed)
            Fail(IceFailureReason.AllPairsFailed, $"ICE failed: every candidate pair failed its connectivity checks ({Describe()}).");
    }

    private void Fail(IceFailureReason reason, string message) => Abort(new IceException(reason, message));

    private void SetState(IceConnectionState state)
    {
        if (State == state) return;
        State = state;
        _events.Enqueue(new IceStateChangedEvent(state, state is IceConnectionState.Failed or IceConnectionState.Closed ? Error : null));
    }

    private void CheckGatheringComplete()
    {
        if (!_hostGatheringDone || GatheringState == IceGatheringState.Complete) return;
        if (_transactions.Values.Any(t => t.Kind == IceTransactionKind.ServerBinding)) return;
        GatheringState = IceGatheringState.Complete;
        _events.Enqueue(new IceGatheringCompleteEvent());
    }

    private void Pair(IceLocalCandidate local, IceRemoteCandidate remote)
    {
        // Only same-family pairs, and loopback only with loopback: anything else cannot work.
        if (local.Base.AddressFamily != remote.EndPoint.AddressFamily) return;
        if (IPAddress.IsLoopback(local.Base.Address) != IPAddress.IsLoopback(remote.EndPoint.Address)) return;
        _checklist.Add(local, remote, Role);
    }

    private IceRemoteCandidate? FindRemote(IPEndPoint endPoint) => _remoteCandidates.FirstOrDefault(r => r.EndPoint.Equals(endPoint));

    private IceRemoteCandidate? AddPeerReflexiveRemote(IPEndPoint from, uint priority)
    {
        if (_remoteCandidates.Count >= _options.MaxRemoteCandidates) return null;
        var candidate = IceCandidate.For(from, IceCandidateType.PeerReflexive, priority, $"prflx{++_peerReflexiveCount}");
        var remote = new IceRemoteCandidate(candidate, from);
        _remoteCandidates.Add(remote);
        return remote;
    }

    private void AddServerReflexive(int socketId, IPEndPoint mapped, IPEndPoint server)
    {
        var host = _hostBySocket[socketId];
        if (mapped.Equals(host.Base) || _localCandidates.Count >= MaxLocalCandidates) return;
        if (_localCandidates.Any(c => c.Candidate.Type == IceCandidateType.ServerReflexive && c.Candidate.EndPoint!.Equals(mapped))) return;
        var candidate = IceCandidate.For(mapped, IceCandidateType.ServerReflexive,
            IcePriority.ForCandidate(IceCandidateType.ServerReflexive, host.LocalPreference, 1),
            IceFoundation.Compute(IceCandidateType.ServerReflexive, host.Base.Address, server), related: host.Base);
        _localCandidates.Add(new IceLocalCandidate(candidate, socketId, host.Base, host.LocalPreference));
        _events.Enqueue(new IceLocalCandidateEvent(candidate));
    }

    /// <summary>
    /// A check revealed a mapped address we do not know (a NAT between us): remember it as a local
    /// peer-reflexive candidate (RFC 8445 §7.2.5.3.1). It is not signalled; the pair keeps using its base.
    /// </summary>
    private void LearnLocalPeerReflexive(int socketId, IPEndPoint mapped, uint priority)
    {
        if (_localCandidates.Count >= MaxLocalCandidates || _localCandidates.Any(c => c.Candidate.EndPoint?.Equals(mapped) == true)) return;
        var host = _hostBySocket[socketId];
        var candidate = IceCandidate.For(mapped, IceCandidateType.PeerReflexive, priority,
            IceFoundation.Compute(IceCandidateType.PeerReflexive, host.Base.Address, server: null), related: host.Base);
        _localCandidates.Add(new IceLocalCandidate(candidate, socketId, host.Base, host.LocalPreference));
    }

    private string Describe()
    {
        var failed = _checklist.Pairs.Count(p => p.State == IceCandidatePairState.Failed);
        return $"{_checklist.Pairs.Count} pairs, {failed} failed; {_localCandidates.Count} local and {_remoteCandidates.Count} remote candidates"
            + (_remoteCredentials is null ? "; no remote credentials yet" : "")
            + (_remoteEndOfCandidates ? "; remote end-of-candidates" : "");
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
        : endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.ScopeId != 0
            ? new IPEndPoint(new IPAddress(endPoint.Address.GetAddressBytes()), endPoint.Port)
            : endPoint;
}
