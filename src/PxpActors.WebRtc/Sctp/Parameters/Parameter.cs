namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// A type-length-value parameter carried inside a chunk (RFC 9260 section 3.2.1). The length counts
/// the 4-byte header and the value but not the padding to a multiple of 4.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Parameter Type         |       Parameter Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                        Parameter Value                        /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public abstract record Parameter : SctpTlv
{
    /// <summary>The parameter's type.</summary>
    public abstract ParameterType Type { get; }

    private protected override ushort TypeField => (ushort)Type;

    /// <summary>Parses one parameter that fills <paramref name="bytes"/> (padding allowed at the end).</summary>
    public static Parameter Parse(ReadOnlySpan<byte> bytes)
    {
        var all = ParseAll(bytes);
        if (all.Count != 1)
            throw new SctpProtocolException($"Expected exactly one parameter, found {all.Count}.");
        return all[0];
    }

    /// <summary>Parses a run of parameters as found after a chunk's fixed fields.</summary>
    public static IReadOnlyList<Parameter> ParseAll(ReadOnlySpan<byte> bytes)
    {
        var result = new List<Parameter>();
        while (bytes.Length > 0)
        {
            var type = (ParameterType)ReadHeader(bytes, "Parameter", static field => (ParameterType)field, out var length, out var consumed);
            result.Add(ParseValue(type, bytes[HeaderLength..length]));
            bytes = bytes[consumed..];
        }
        return result;
    }

    /// <summary>Total bytes of a parameter list as a chunk carries it: padding after all but the last.</summary>
    public static int ListLength(IReadOnlyList<Parameter> parameters)
    {
        var total = 0;
        for (var i = 0; i < parameters.Count; i++)
            total += i == parameters.Count - 1 ? parameters[i].Length : parameters[i].PaddedLength;
        return total;
    }

    /// <summary>Writes a list as <see cref="ListLength"/> counts it (the last parameter's padding is the chunk's).</summary>
    public static void WriteList(IReadOnlyList<Parameter> parameters, Span<byte> destination)
    {
        var offset = 0;
        var scratch = destination;
        foreach (var p in parameters)
        {
            // Padding of the last one may fall outside destination; write it unpadded in that case.
            if (offset + p.PaddedLength <= scratch.Length)
                offset += p.WriteTo(scratch[offset..]);
            else
            {
                var tmp = p.ToArray();
                tmp.AsSpan(0, p.Length).CopyTo(scratch[offset..]);
                offset += p.Length;
            }
        }
    }

    private static Parameter ParseValue(ParameterType type, ReadOnlySpan<byte> value) => type switch
    {
        ParameterType.HeartbeatInfo => HeartbeatInfoParameter.ReadValue(value),
        ParameterType.StateCookie => StateCookieParameter.ReadValue(value),
        ParameterType.ForwardTsnSupported => ForwardTsnSupportedParameter.ReadValue(value),
        ParameterType.SupportedExtensions => SupportedExtensionsParameter.ReadValue(value),
        ParameterType.OutgoingSsnResetRequest => OutgoingSsnResetRequestParameter.ReadValue(value),
        ParameterType.IncomingSsnResetRequest => IncomingSsnResetRequestParameter.ReadValue(value),
        ParameterType.ReconfigurationResponse => ReconfigurationResponseParameter.ReadValue(value),
        _ => new UnknownParameter(type, value.ToArray()),
    };
}
