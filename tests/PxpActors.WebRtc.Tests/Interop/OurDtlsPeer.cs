using System.Net;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Our side of an interop test: an ICE agent on loopback, a DTLS certificate and the SDP that describes
/// them, wired the way a peer connection will wire them. Candidates travel only by trickle, as
/// simple-peer signals round-tripped through their JSON.
/// </summary>
internal sealed class OurDtlsPeer : IAsyncDisposable
{
    private readonly IceAgent _agent;
    private DtlsConnection? _dtls;

    private OurDtlsPeer(IceAgent agent, DtlsCertificate certificate)
    {
        _agent = agent;
        Certificate = certificate;
    }

    public DtlsCertificate Certificate { get; }

    public IceAgent Agent => _agent;

    /// <summary>What the peer's description announced.</summary>
    public SdpDataChannel? Remote { get; private set; }

    public static async Task<OurDtlsPeer> StartAsync(IceRole role)
    {
        var agent = new IceAgent(new IceAgentOptions
        {
            Role = role,
            IncludeLoopback = true,
            LocalAddresses = [IPAddress.Loopback],
        });
        await agent.StartAsync();
        return new OurDtlsPeer(agent, DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30)));
    }

    public SessionDescription CreateOffer(DtlsFingerprint? announced = null) =>
        DataChannelSdp.CreateOffer(Parameters(announced));

    public SessionDescription CreateAnswer(SessionDescription offer, DtlsFingerprint? announced = null)
    {
        var answer = DataChannelSdp.CreateAnswer(offer, Parameters(announced));
        ApplyRemote(offer);
        return answer;
    }

    public void ApplyRemote(SessionDescription description)
    {
        Remote = description.GetDataChannel();
        _agent.SetRemoteCredentials(new IceCredentials(Remote.IceUfrag, Remote.IcePwd));
        foreach (var candidate in Remote.Candidates.Where(c => c.IsUdp)) _agent.AddRemoteCandidate(candidate);
    }

    /// <summary>Our trickled candidates as the simple-peer signals the peer would receive.</summary>
    public IEnumerable<IceCandidateInit> LocalCandidateSignals(string mid) =>
        _agent.LocalCandidates.Select(c => ThroughJson(new IceCandidateInit(c.ToString(), 0, mid)));

    /// <summary>Takes one trickled candidate signal from the peer; TCP candidates are ignored as we only do UDP.</summary>
    public void AddRemoteCandidate(IceCandidateInit signal)
    {
        var candidate = IceCandidate.Parse(ThroughJson(signal).Candidate);
        if (candidate.IsUdp) _agent.AddRemoteCandidate(candidate);
    }

    /// <summary>ICE until a pair is nominated, then the DTLS handshake in the role <c>a=setup</c> gave us.</summary>
    public async Task<DtlsConnection> ConnectAsync(DtlsRole role, DtlsFingerprint? expectedRemote = null, TimeSpan? handshakeTimeout = null)
    {
        var path = await _agent.ConnectAsync();
        var parameters = new DtlsHandshakeParameters(role, Certificate, expectedRemote ?? Remote!.Fingerprint)
        {
            Settings = DtlsSettings.Default with { HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(20) },
        };
        _dtls = await DtlsConnection.HandshakeAsync(path, parameters);
        return _dtls;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dtls is not null) await _dtls.DisposeAsync();
        await _agent.DisposeAsync();
    }

    private DataChannelSdpParameters Parameters(DtlsFingerprint? announced) =>
        new(_agent.LocalCredentials.Ufrag, _agent.LocalCredentials.Password, announced ?? Certificate.Fingerprint);

    private static IceCandidateInit ThroughJson(IceCandidateInit candidate) =>
        ((CandidateSignal)Signal.Parse(new CandidateSignal(candidate).ToJson())).Candidate;
}
