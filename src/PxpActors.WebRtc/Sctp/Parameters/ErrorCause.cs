using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// An error cause carried by ABORT and ERROR chunks (RFC 9260 section 3.3.10). Same TLV shape as a
/// parameter, with its own code space.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Cause Code          |         Cause Length          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                    Cause-Specific Information                 /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ErrorCause(ErrorCauseCode Code, ReadOnlyMemory<byte> Information)
{
    /// <summary>Header plus information, the figure written in the length field.</summary>
    public int Length => 4 + Information.Length;
    /// <summary>Bytes the cause occupies, padded to a multiple of 4.</summary>
    public int PaddedLength => (Length + 3) & ~3;

    /// <summary>A cause whose information is UTF-8 text (user-initiated abort reasons, protocol violations).</summary>
    public static ErrorCause WithText(ErrorCauseCode code, string text) => new(code, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The information read as UTF-8 text.</summary>
    public string InformationText => System.Text.Encoding.UTF8.GetString(Information.Span);

    /// <summary>Writes code, length, information and padding; returns the padded length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Code);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Length);
        Information.Span.CopyTo(destination[4..]);
        destination[Length..PaddedLength].Clear();
        return PaddedLength;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Code}({InformationText})";

    internal static int ListLength(IReadOnlyList<ErrorCause> causes)
    {
        var total = 0;
        for (var i = 0; i < causes.Count; i++)
            total += i == causes.Count - 1 ? causes[i].Length : causes[i].PaddedLength;
        return total;
    }

    internal static void WriteList(IReadOnlyList<ErrorCause> causes, Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < causes.Count; i++)
        {
            var c = causes[i];
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)c.Code);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)c.Length);
            c.Information.Span.CopyTo(destination[(offset + 4)..]);
            offset += c.Length;
            if (i < causes.Count - 1)
            {
                destination[offset..(offset + c.PaddedLength - c.Length)].Clear();
                offset += c.PaddedLength - c.Length;
            }
        }
    }

    internal static IReadOnlyList<ErrorCause> ParseAll(ReadOnlySpan<byte> bytes)
    {
        var causes = new List<ErrorCause>();
        while (bytes.Length > 0)
        {
            if (bytes.Length < 4)
                throw new SctpProtocolException($"Truncated error cause ({bytes.Length} bytes left).");
            var code = (ErrorCauseCode)BinaryPrimitives.ReadUInt16BigEndian(bytes);
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            if (length < 4 || length > bytes.Length)
                throw new SctpProtocolException($"Error cause {code} has bad length {length}.");
            causes.Add(new ErrorCause(code, bytes[4..length].ToArray()));
            bytes = bytes[Math.Min((length + 3) & ~3, bytes.Length)..];
        }
        return causes;
    }
}
