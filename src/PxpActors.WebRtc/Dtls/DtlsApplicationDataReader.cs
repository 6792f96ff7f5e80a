using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Opens DTLS 1.2 application-data records of the established epoch where the datagram arrives, so received data
/// needs no hop to BouncyCastle's record-layer thread. Everything else in a datagram (alerts, retransmitted
/// handshake records, other epochs) is handed back for BouncyCastle, which keeps the protocol's state machine.
/// </summary>
/// <remarks>
/// A record is <c>type(1) version(2) epoch(2) sequence(6) length(2)</c> then, for AES-GCM (RFC 5288), an 8-byte
/// explicit nonce, the ciphertext and a 16-byte tag (RFC 6347 section 4.1). The nonce is our 4-byte salt followed
/// by the explicit part; the additional data is <c>epoch‖sequence, type, version, plaintext length</c> (RFC 5246
/// section 6.2.3.3). Records that are replayed (<see cref="DtlsReplayWindow"/>), malformed or fail authentication
/// are dropped silently (RFC 6347 section 4.1.2.7), as BouncyCastle is told to do. One reader thread at a time.
/// </remarks>
internal sealed class DtlsApplicationDataReader : IDisposable
{
    public const int TagSize = 16;
    public const int HeaderLength = 13;
    private const int ExplicitNonceLength = 8;
    private const int MaxPlaintext = 1 << 14;
    public const byte ApplicationData = 23;
    private const ushort Dtls12 = 0xFEFD;

    private readonly AesGcm _aes;
    private readonly ushort _epoch;
    private readonly byte[] _nonce = new byte[DtlsRecordKeys.SaltLength + ExplicitNonceLength];
    private readonly byte[] _additionalData = new byte[HeaderLength];
    private readonly DtlsReplayWindow _window = new();
    private readonly List<Range> _others = [];
    private long _opened;
    private long _dropped;

    public DtlsApplicationDataReader(DtlsRecordKeys keys, ushort epoch)
    {
        _aes = new AesGcm(keys.ReadKey, TagSize);
        keys.ReadSalt.CopyTo(_nonce, 0);
        keys.Clear(); // held by the cipher and the nonce from now on: no other copy lingers in memory
        _epoch = epoch;
    }

    public static bool IsAvailable => AesGcm.IsSupported;

    /// <summary>Application-data records opened and handed up.</summary>
    public long OpenedCount => Volatile.Read(ref _opened);

    /// <summary>Records dropped: replayed, malformed or not authentic.</summary>
    public long DroppedCount => Volatile.Read(ref _dropped);

    /// <summary>
    /// Decrypts in place every application-data record of our epoch in <paramref name="datagram"/>, adding where
    /// each plaintext lies to <paramref name="plaintexts"/> (cleared first). Returns the datagram's other records,
    /// copied into a datagram of their own for BouncyCastle, or null when there are none.
    /// </summary>
    public byte[]? Read(Span<byte> datagram, List<Range> plaintexts)
    {
        plaintexts.Clear();
        _others.Clear();
        var othersLength = 0;
        var offset = 0;
        while (datagram.Length - offset >= HeaderLength)
        {
            var header = datagram.Slice(offset, HeaderLength);
            var recordLength = HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(header[11..]);
            if (recordLength > datagram.Length - offset)
            {
                Volatile.Write(ref _dropped, _dropped + 1); // a truncated record ends the datagram (RFC 6347 4.1.2.7)
                break;
            }
            if (IsOurs(header))
            {
                if (Open(datagram.Slice(offset, recordLength)) is { } plaintext)
                {
                    plaintexts.Add(new Range(offset + plaintext.Start.Value, offset + plaintext.End.Value));
                    Volatile.Write(ref _opened, _opened + 1);
                }
                else
                {
                    Volatile.Write(ref _dropped, _dropped + 1);
                }
            }
            else
            {
                _others.Add(new Range(offset, offset + recordLength));
                othersLength += recordLength;
            }
            offset += recordLength;
        }
        if (othersLength == 0) return null;
        var rest = new byte[othersLength];
        var written = 0;
        foreach (var range in _others)
        {
            datagram[range].CopyTo(rest.AsSpan(written));
            written += range.End.Value - range.Start.Value;
        }
        return rest;
    }

    /// <summary>
    /// Marks in the replay window the authentic application-data records of our epoch in a datagram BouncyCastle was
    /// handed before this reader took over, so that a replay of one is not accepted again here. Nothing is delivered.
    /// </summary>
    public void Remember(ReadOnlySpan<byte> datagram)
    {
        var copy = datagram.ToArray(); // opening decrypts in place
        var offset = 0;
        while (copy.Length - offset >= HeaderLength)
        {
            var recordLength = HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(offset + 11));
            if (recordLength > copy.Length - offset) return;
            var record = copy.AsSpan(offset, recordLength);
            if (IsOurs(record)) Open(record); // marks the window when authentic
            offset += recordLength;
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_nonce); // the salt
    }

    private bool IsOurs(ReadOnlySpan<byte> header) =>
        header[0] == ApplicationData
        && BinaryPrimitives.ReadUInt16BigEndian(header[1..]) == Dtls12
        && BinaryPrimitives.ReadUInt16BigEndian(header[3..]) == _epoch;

    /// <summary>The plaintext's place within <paramref name="record"/>, or null when the record is dropped.</summary>
    private Range? Open(Span<byte> record)
    {
        var plaintextLength = record.Length - HeaderLength - ExplicitNonceLength - TagSize;
        if (plaintextLength is < 0 or > MaxPlaintext) return null;
        var sequence = (long)(BinaryPrimitives.ReadUInt64BigEndian(record[3..]) & DtlsReplayWindow.MaxSequenceNumber);
        if (!_window.MayAccept(sequence)) return null;

        record.Slice(HeaderLength, ExplicitNonceLength).CopyTo(_nonce.AsSpan(DtlsRecordKeys.SaltLength));
        record[3..11].CopyTo(_additionalData);
        record[..3].CopyTo(_additionalData.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(_additionalData.AsSpan(11), (ushort)plaintextLength);
        var start = HeaderLength + ExplicitNonceLength;
        var ciphertext = record.Slice(start, plaintextLength);
        try
        {
            _aes.Decrypt(_nonce, ciphertext, record.Slice(start + plaintextLength, TagSize), ciphertext, _additionalData);
        }
        catch (CryptographicException)
        {
            return null; // forged or corrupted: the window stays where it was
        }
        _window.Mark(sequence);
        return new Range(start, start + plaintextLength);
    }
}
