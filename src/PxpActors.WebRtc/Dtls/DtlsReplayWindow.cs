namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Anti-replay for one epoch (RFC 6347 section 4.1.2.6): a 64-record sliding window whose right edge is the
/// highest sequence number authenticated so far. A record is checked before decryption and marked only after
/// it authenticated, so forged records cannot move the window. Not thread-safe: one reader owns it.
/// </summary>
internal sealed class DtlsReplayWindow
{
    /// <summary>Records below the right edge still tracked (the RFC's minimum is 32; BoringSSL keeps 64).</summary>
    public const int Size = 64;

    /// <summary>DTLS sequence numbers are 48-bit.</summary>
    public const long MaxSequenceNumber = (1L << 48) - 1;

    private long _highest = -1;
    private ulong _seen; // bit i: _highest - i was received

    /// <summary>False for a duplicate or a record too old for the window (drop it silently).</summary>
    public bool MayAccept(long sequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNumber);
        if (sequenceNumber > _highest) return true;
        var age = _highest - sequenceNumber;
        return age < Size && (_seen & (1UL << (int)age)) == 0;
    }

    /// <summary>Records an authenticated record.</summary>
    public void Mark(long sequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNumber);
        if (sequenceNumber > _highest)
        {
            var shift = sequenceNumber - _highest;
            _seen = shift >= Size ? 1UL : (_seen << (int)shift) | 1UL;
            _highest = sequenceNumber;
            return;
        }
        var age = _highest - sequenceNumber;
        if (age < Size) _seen |= 1UL << (int)age;
    }
}
