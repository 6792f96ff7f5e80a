using System.Buffers.Binary;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp;

/// <summary>Path heartbeat (RFC 9260 section 8.3): probe an idle association, count unanswered probes as errors.</summary>
public sealed partial class SctpAssociation
{
    private ulong _heartbeatNonce;
    private bool _heartbeatOutstanding;

    private void OnHeartbeatTimerExpired()
    {
        _heartbeatDue = null;
        if (State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived))
            return;
        if (_heartbeatOutstanding && ++_errorCount > _options.MaxAssociationRetransmits)
        {
            Fail($"peer unreachable: {_errorCount - 1} heartbeats unanswered");
            return;
        }
        if (!HasOutstanding)
        {
            // Only an idle path is probed; data in flight already proves (or disproves) reachability.
            var info = new byte[16];
            _heartbeatNonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            BinaryPrimitives.WriteUInt64BigEndian(info, _heartbeatNonce);
            BinaryPrimitives.WriteInt64BigEndian(info.AsSpan(8), Now.UtcTicks);
            EnqueueControl(new HeartbeatChunk(new HeartbeatInfoParameter(info)));
            _heartbeatOutstanding = true;
        }
        _heartbeatDue = Now + _options.HeartbeatInterval + _rto.Rto;
    }

    private void HandleHeartbeatAck(HeartbeatAckChunk ack)
    {
        var info = ack.Info.Info.Span;
        if (!_heartbeatOutstanding || info.Length != 16 || BinaryPrimitives.ReadUInt64BigEndian(info) != _heartbeatNonce)
            return;
        _heartbeatOutstanding = false;
        _errorCount = 0;
        var sent = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(info[8..]), TimeSpan.Zero);
        _rto.OnMeasurement(Now - sent);
    }
}
