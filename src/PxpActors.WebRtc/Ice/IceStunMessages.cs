using System.Net;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;

namespace PxpActors.WebRtc.Ice;

/// <summary>The STUN messages ICE sends (RFC 8445 §7.1, §7.3), ready to put on the wire.</summary>
internal static class IceStunMessages
{
    /// <summary>
    /// A connectivity or consent check: USERNAME "theirs:ours", PRIORITY, the role with our tie-breaker,
    /// USE-CANDIDATE when nominating; MESSAGE-INTEGRITY with the peer's password, FINGERPRINT.
    /// </summary>
    public static byte[] Check(StunTransactionId id, IceCredentials local, IceCredentials remote, byte[] remoteKey,
        uint peerReflexivePriority, IceRole role, ulong tieBreaker, bool nominating)
    {
        List<StunAttribute> attributes =
        [
            new UsernameAttribute($"{remote.Ufrag}:{local.Ufrag}"),
            new PriorityAttribute(peerReflexivePriority),
            role == IceRole.Controlling ? new IceControllingAttribute(tieBreaker) : new IceControlledAttribute(tieBreaker),
        ];
        if (nominating) attributes.Add(UseCandidateAttribute.Instance);
        return new StunMessage(StunMessageType.BindingRequest, id, attributes).Encode(remoteKey, fingerprint: true);
    }

    /// <summary>A success response telling the requester where its request came from, signed with our password.</summary>
    public static byte[] Success(StunMessage request, IPEndPoint from, byte[] localKey) =>
        new StunMessage(StunMessageType.BindingSuccess, request.TransactionId, [new XorMappedAddressAttribute(from)])
            .Encode(localKey, fingerprint: true);

    /// <summary>An error response; signed only when the request was authenticated (there is no key otherwise).</summary>
    public static byte[] Error(StunMessage request, int code, string reason, byte[]? localKey, StunAttribute? extra = null)
    {
        List<StunAttribute> attributes = [new ErrorCodeAttribute(code, reason)];
        if (extra is not null) attributes.Add(extra);
        return new StunMessage(StunMessageType.BindingError, request.TransactionId, attributes)
            .Encode(localKey, fingerprint: true); // a null key converts to an empty span: no MESSAGE-INTEGRITY
    }

    /// <summary>A plain binding request to a STUN server (no credentials, as public servers expect).</summary>
    public static byte[] ServerBinding(StunTransactionId id) =>
        new StunMessage(StunMessageType.BindingRequest, id, []).Encode();
}
