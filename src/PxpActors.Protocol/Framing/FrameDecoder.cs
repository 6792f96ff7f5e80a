namespace PxpActors.Protocol.Framing;

/// <summary>
/// Incremental multiplex frame decoder: feed it bytes in any chunking, it hands out whole frames.
/// Bounded: a frame longer than <c>maxPayload</c> or a varint longer than 5 bytes is a protocol error,
/// raised before any of that payload is buffered. A payload is buffered as its bytes arrive, never ahead of
/// them: a length field alone does not make the decoder allocate what it claims.
/// </summary>
/// <param name="maxPayload">Largest payload accepted.</param>
/// <param name="splitData">
/// Hand data frames out in parts as their bytes arrive, instead of gathering a whole payload first: each
/// part is a frame of the same channel and type carrying the next bytes of the payload (never empty, unless
/// the frame itself is). Substreams are byte streams, so a consumer of data loses nothing, and a large frame
/// that spans transport chunks is neither copied nor held back until its last chunk.
/// </param>
public sealed class FrameDecoder(int maxPayload, bool splitData = false)
{
    private enum Part { Header, Length, Payload, DataParts }

    /// <summary>Smallest buffer a gathered payload starts or grows by, so byte-sized chunks do not copy at every byte.</summary>
    private const int MinPayloadGrowth = 256;

    private Part _part = Part.Header;
    private uint _varint;
    private int _varintBytes;
    private uint _header;
    private byte[] _payload = [];
    private int _filled;
    private int _length;
    private int _dataLeft;

    /// <summary>Largest payload accepted; a longer frame is a protocol error.</summary>
    public int MaxPayload { get; } = maxPayload > 0
        ? maxPayload
        : throw new ArgumentOutOfRangeException(nameof(maxPayload), "must be positive");

    /// <summary>True between frames: no partial header, length or payload is pending.</summary>
    public bool IsAtFrameBoundary => _part == Part.Header && _varintBytes == 0;

    /// <summary>Decodes every complete frame in <paramref name="input"/>, passing each to <paramref name="onFrame"/>.</summary>
    public void Decode(ReadOnlySpan<byte> input, Action<Frame> onFrame) => Decode(input, default, onFrame);

    /// <summary>
    /// Decodes like the span overload, but payloads (or, with <c>splitData</c>, parts of data payloads) that lie in
    /// <paramref name="input"/> are handed out as slices of it instead of copies. The caller must never change
    /// <paramref name="input"/> afterwards. Without <c>splitData</c>, only a payload that makes up at least a quarter
    /// of <paramref name="input"/> is shared, so small frames cannot pin large chunks; with it, that choice is the
    /// consumer's.
    /// </summary>
    public void Decode(ReadOnlyMemory<byte> input, Action<Frame> onFrame) => Decode(input.Span, input, onFrame);

    private void Decode(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> shareable, Action<Frame> onFrame)
    {
        var shared = shareable.Length == input.Length;
        var i = 0;
        while (i < input.Length)
        {
            if (_part == Part.DataParts)
            {
                var take = Math.Min(_dataLeft, input.Length - i);
                _dataLeft -= take;
                if (_dataLeft == 0) _part = Part.Header;
                onFrame(new Frame(_header >> 3, (FrameType)(_header & 7), Slice(input, shareable, shared, i, take)));
                i += take;
                continue;
            }
            if (_part == Part.Payload)
            {
                var take = Math.Min(_length - _filled, input.Length - i);
                MakeRoom(take);
                input.Slice(i, take).CopyTo(_payload.AsSpan(_filled));
                _filled += take;
                i += take;
                if (_filled == _length) Emit(onFrame);
                continue;
            }

            if (!ReadVarintByte(input[i++])) continue;

            if (_part == Part.Header)
            {
                _header = _varint;
                if ((_header & 7) == 7)
                    throw new PxpProtocolException($"Invalid multiplex frame type 7 (header {_header})");
                _part = Part.Length;
            }
            else
            {
                if (_varint > MaxPayload)
                    throw new PxpProtocolException(
                        $"Multiplex frame of {_varint} bytes exceeds the limit of {MaxPayload} bytes");
                var length = (int)_varint;
                if (length > 0 && splitData && IsData((FrameType)(_header & 7)))
                {
                    // The part in this input goes out now; the rest as it arrives.
                    var take = Math.Min(length, input.Length - i);
                    _dataLeft = length - take;
                    _part = _dataLeft == 0 ? Part.Header : Part.DataParts;
                    if (take > 0) onFrame(new Frame(_header >> 3, (FrameType)(_header & 7), Slice(input, shareable, shared, i, take)));
                    i += take;
                }
                else if (length > 0 && shared && length <= input.Length - i && length * 4L >= input.Length)
                {
                    _part = Part.Header;
                    onFrame(new Frame(_header >> 3, (FrameType)(_header & 7), shareable.Slice(i, length)));
                    i += length;
                }
                else
                {
                    // The buffer is sized by the bytes that come (MakeRoom), not by what the length claims.
                    _payload = [];
                    _length = length;
                    _filled = 0;
                    _part = Part.Payload;
                    if (length == 0) Emit(onFrame);
                }
            }
            _varint = 0;
            _varintBytes = 0;
        }
    }

    private static bool IsData(FrameType type) => type is FrameType.DataFromCreator or FrameType.DataFromReceiver;

    private static ReadOnlyMemory<byte> Slice(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> shareable, bool shared, int start, int length) =>
        shared ? shareable.Slice(start, length) : input.Slice(start, length).ToArray();

    /// <summary>Adds one byte to the varint in progress; true when it was the last byte.</summary>
    private bool ReadVarintByte(byte b)
    {
        if (_varintBytes == Varint.MaxLength - 1 && b > 0x0F)
            throw new PxpProtocolException("Multiplex varint is longer than 32 bits");
        _varint |= (uint)(b & 0x7F) << (7 * _varintBytes);
        _varintBytes++;
        return (b & 0x80) == 0;
    }

    /// <summary>
    /// Grows the payload buffer to hold <paramref name="more"/> bytes after those filled: to the whole payload when
    /// it is all here, else at least doubling, so a payload gathered from many chunks is copied a few times at most
    /// and the buffer is never more than twice the bytes received (or 256).
    /// </summary>
    private void MakeRoom(int more)
    {
        var needed = _filled + more;
        if (needed <= _payload.Length) return;
        var size = Math.Min(_length, Math.Max(needed, Math.Max(2 * _payload.Length, MinPayloadGrowth)));
        var grown = GC.AllocateUninitializedArray<byte>(size); // every byte is written before use
        _payload.AsSpan(0, _filled).CopyTo(grown);
        _payload = grown;
    }

    private void Emit(Action<Frame> onFrame)
    {
        var frame = new Frame(_header >> 3, (FrameType)(_header & 7), _payload);
        _part = Part.Header;
        _payload = [];
        _filled = 0;
        onFrame(frame);
    }
}
