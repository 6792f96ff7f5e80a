using System.Net;
using PxpActors.WebRtc.Stun;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// One outstanding STUN request with its retransmission schedule (RFC 8489 §6.2.1): the same bytes are
/// resent after RTO, RTO doubling up to a cap, until a response or the last transmission times out.
/// </summary>
internal sealed class IceTransaction(
    IceTransactionKind kind, StunTransactionId id, int socketId, IPEndPoint destination, byte[] request,
    int maxTransmissions, TimeSpan rto, DateTimeOffset now)
{
    private TimeSpan _rto = rto;

    public IceTransactionKind Kind { get; } = kind;
    public StunTransactionId Id { get; } = id;
    public int SocketId { get; } = socketId;
    public IPEndPoint Destination { get; } = destination;
    public byte[] Request { get; } = request;
    public DateTimeOffset Started { get; } = now;
    public int Transmissions { get; private set; } = 1;
    public DateTimeOffset Deadline { get; private set; } = now + rto;

    /// <summary>The pair a check or consent request runs on.</summary>
    public IceCandidatePair? Pair { get; init; }

    /// <summary>The request carried USE-CANDIDATE.</summary>
    public bool Nominating { get; init; }

    /// <summary>The role we claimed in the request (a 487 only flips the role if it still holds).</summary>
    public IceRole Role { get; init; }

    /// <summary>The PRIORITY we put in the request (a local peer-reflexive candidate gets it).</summary>
    public uint PeerReflexivePriority { get; init; }

    /// <summary>Brings the next retransmission forward to <paramref name="at"/> at the latest (the schedule goes on from there).</summary>
    public void RetransmitNoLaterThan(DateTimeOffset at)
    {
        if (at < Deadline) Deadline = at;
    }

    /// <summary>Called at the deadline: true and a new deadline when another transmission is due, false when exhausted.</summary>
    public bool Retransmit(DateTimeOffset now, TimeSpan maxRto)
    {
        if (Transmissions >= maxTransmissions) return false;
        Transmissions++;
        _rto = _rto * 2 > maxRto ? maxRto : _rto * 2;
        Deadline = now + _rto;
        return true;
    }
}
