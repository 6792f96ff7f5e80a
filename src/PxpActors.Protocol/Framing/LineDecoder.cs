namespace PxpActors.Protocol.Framing;

/// <summary>
/// Splits the "pxp" stream into newline-delimited lines (ndjson), however the bytes are chunked.
/// Bounded: a line longer than <c>maxLineLength</c> is a protocol error. Empty lines are skipped and a
/// trailing CR is dropped, as the reference's ndjson parser does.
/// </summary>
public sealed class LineDecoder(int maxLineLength)
{
    // Grows on demand up to the limit: an idle session holds no line buffer.
    private byte[] _line = [];
    private int _length;

    /// <summary>Longest line accepted; a longer one is a protocol error.</summary>
    public int MaxLineLength { get; } = maxLineLength;

    /// <summary>True when no partial line is held: the stream may end here without cutting a message.</summary>
    public bool IsAtLineBoundary => _length == 0;

    /// <summary>Feeds <paramref name="input"/>, calling <paramref name="onLine"/> with each line it completes (without its newline).</summary>
    public void Decode(ReadOnlySpan<byte> input, Action<ReadOnlyMemory<byte>> onLine)
    {
        while (!input.IsEmpty)
        {
            var newline = input.IndexOf((byte)'\n');
            var part = newline < 0 ? input : input[..newline];
            if (_length + part.Length > MaxLineLength)
                throw new PxpProtocolException($"PXP message longer than the limit of {MaxLineLength} bytes");
            if (_length + part.Length > _line.Length)
                Array.Resize(ref _line, Math.Min(MaxLineLength, Math.Max(256, 2 * (_length + part.Length))));
            part.CopyTo(_line.AsSpan(_length));
            _length += part.Length;
            if (newline < 0) return;

            var line = _line.AsSpan(0, _length);
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            _length = 0;
            if (!line.IsEmpty) onLine(line.ToArray());
            if (_line.Length > 4096) _line = [];
            input = input[(newline + 1)..];
        }
    }
}
