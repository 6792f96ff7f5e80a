using System.Diagnostics;
using System.Net;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Bench.Topologies;

/// <summary>
/// Our side of a WebRTC handshake on loopback: an ICE agent bound to 127.0.0.1, a DTLS certificate and
/// the data-channel SDP that announces them, wired the way a peer connection wires them. Starting it
/// (sockets bound, host candidates gathered, certificate made, DTLS prepared) is set-up, not part of a timed
/// handshake, as a peer connection does all of it when it starts, before any description.
/// </summary>
public sealed class LoopbackWebRtcPeer : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    private readonly IceAgent _agent;
    private readonly DtlsCertificate _certificate;
    private readonly DtlsPreparedConnection _preparedDtls;
    private SdpDataChannel? _remote;
    private DtlsConnection? _dtls;
    private IReadOnlyList<IceCandidate> _described = [];

    private LoopbackWebRtcPeer(IceAgent agent, DtlsCertificate certificate)
    {
        _agent = agent;
        _certificate = certificate;
        _preparedDtls = DtlsConnection.Prepare(certificate, DtlsSettings.Default with { HandshakeTimeout = HandshakeTimeout });
        // Stamped as the agent reports it, not when an awaiting continuation gets to run.
        agent.ConnectionStateChanged += state =>
        {
            if (state == IceConnectionState.Connected && IceConnectedTimestamp == 0) IceConnectedTimestamp = Stopwatch.GetTimestamp();
        };
    }

    /// <summary>When ICE nominated its path (a <see cref="Stopwatch"/> timestamp), 0 before.</summary>
    public long IceConnectedTimestamp { get; private set; }

    public static async Task<LoopbackWebRtcPeer> StartAsync(IceRole role)
    {
        var agent = new IceAgent(new IceAgentOptions { Role = role, IncludeLoopback = true, LocalAddresses = [IPAddress.Loopback] });
        try
        {
            await agent.StartAsync().ConfigureAwait(false);
            return new LoopbackWebRtcPeer(agent, DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)));
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public SessionDescription CreateOffer() => DataChannelSdp.CreateOffer(LocalParameters);

    /// <summary>Answers <paramref name="offer"/> and takes it as the remote description.</summary>
    public SessionDescription CreateAnswer(SessionDescription offer)
    {
        var answer = DataChannelSdp.CreateAnswer(offer, LocalParameters);
        ApplyRemote(offer);
        return answer;
    }

    public void ApplyRemote(SessionDescription description)
    {
        _remote = description.GetDataChannel();
        _agent.SetRemoteCredentials(new IceCredentials(_remote.IceUfrag, _remote.IcePwd));
        foreach (var candidate in _remote.Candidates.Where(c => c.IsUdp)) _agent.AddRemoteCandidate(candidate);
    }

    /// <summary>
    /// Our candidates not already in our description, as trickle signals for data-channel <paramref name="mid"/>: on
    /// loopback none, since the host candidates (all gathered by StartAsync) travel in the offer or answer.
    /// </summary>
    public IEnumerable<IceCandidateInit> LocalCandidates(string mid) =>
        _agent.LocalCandidates.Where(c => !_described.Contains(c)).Select(c => new IceCandidateInit(c.ToString(), 0, mid));

    /// <summary>One trickled candidate from the peer; TCP candidates are ignored since we only do UDP.</summary>
    public void AddRemoteCandidate(IceCandidateInit signal)
    {
        var candidate = IceCandidate.Parse(signal.Candidate);
        if (candidate.IsUdp) _agent.AddRemoteCandidate(candidate);
    }

    public void AddRemoteEndOfCandidates() => _agent.AddRemoteEndOfCandidates();

    /// <summary>
    /// ICE until a pair is valid, then DTLS in <paramref name="role"/> against the announced fingerprint.
    /// Called as soon as the remote description is applied, as a peer connection does: ICE and DTLS then
    /// proceed while signaling is still trickling candidates.
    /// </summary>
    public async Task ConnectAsync(DtlsRole role)
    {
        var remote = _remote ?? throw new InvalidOperationException("No remote description yet");
        // DTLS was made ready when the peer started, and starts the moment ICE has a valid path (before nomination completes).
        _dtls = await _preparedDtls.HandshakeAsync(_agent.ConnectOnValidPairAsync(), role, remote.Fingerprint).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The DTLS connection owns the ICE path; disposing the agent as well covers a handshake that never finished.
        if (_dtls is not null) await _dtls.DisposeAsync().ConfigureAwait(false);
        await _preparedDtls.DisposeAsync().ConfigureAwait(false); // its thread, if no handshake took it over
        await _agent.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Our parameters with the candidates gathered so far, as a peer connection describes them (JSEP 5.2.1, 5.3.1).</summary>
    private DataChannelSdpParameters LocalParameters
    {
        get
        {
            _described = [.. _agent.LocalCandidates];
            return new(_agent.LocalCredentials.Ufrag, _agent.LocalCredentials.Password, _certificate.Fingerprint) { Candidates = _described };
        }
    }
}
