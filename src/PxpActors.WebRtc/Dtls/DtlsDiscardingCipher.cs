using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// A record cipher whose every failure to open a record reads as <c>bad_record_mac</c>, the one failure
/// BouncyCastle's DTLS record layer drops silently when <c>IgnoreCorruptDtlsRecords</c> is set. BouncyCastle's
/// AEAD cipher raises <c>decode_error</c> for a record too short for its nonce and tag, and that alert would end the
/// connection: in DTLS anyone on the path can forge such a record, and invalid records are to be discarded
/// (RFC 6347 section 4.1.2.7). Sealing is passed through unchanged.
/// </summary>
internal sealed class DtlsDiscardingCipher(TlsCipher inner) : TlsCipher
{
    public TlsDecodeResult DecodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion, byte[] ciphertext,
        int offset, int len)
    {
        try
        {
            return inner.DecodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
        }
        catch (TlsFatalAlert alert) when (alert.AlertDescription != AlertDescription.bad_record_mac)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, alert.Message, alert);
        }
    }

    public int GetCiphertextDecodeLimit(int plaintextLimit) => inner.GetCiphertextDecodeLimit(plaintextLimit);

    public int GetCiphertextEncodeLimit(int plaintextLength, int plaintextLimit) =>
        inner.GetCiphertextEncodeLimit(plaintextLength, plaintextLimit);

    public int GetPlaintextLimit(int ciphertextLimit) => inner.GetPlaintextLimit(ciphertextLimit);

    public TlsEncodeResult EncodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion, int headerAllocation,
        byte[] plaintext, int offset, int len) =>
        inner.EncodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);

    public TlsEncodeResult EncodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion, int headerAllocation,
        ReadOnlySpan<byte> plaintext) =>
        inner.EncodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext);

    public void RekeyDecoder() => inner.RekeyDecoder();

    public void RekeyEncoder() => inner.RekeyEncoder();

    public bool UsesOpaqueRecordType => inner.UsesOpaqueRecordType;
}
