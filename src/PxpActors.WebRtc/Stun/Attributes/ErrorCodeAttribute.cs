using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// ERROR-CODE (RFC 8489 §14.8): a code 300..699 split into class (hundreds) and number, and a UTF-8 reason
/// of at most 763 bytes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved, should be 0         |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ErrorCodeAttribute : StunAttribute
{
    /// <summary>Longest reason phrase RFC 8489 allows, in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 763;
    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;
    /// <summary>401 Unauthorized: wrong or missing credentials.</summary>
    public const int Unauthorized = 401;
    /// <summary>420 Unknown Attribute: a comprehension-required attribute was not understood.</summary>
    public const int UnknownAttribute = 420;
    /// <summary>487 Role Conflict: both ICE agents claim the same role (RFC 8445).</summary>
    public const int RoleConflict = 487;
    /// <summary>500 Server Error.</summary>
    public const int ServerError = 500;

    /// <summary>An error of <paramref name="code"/> (300-699) with its reason phrase.</summary>
    public ErrorCodeAttribute(int code, string reason)
    {
        if (code is < 300 or > 699) throw new ArgumentOutOfRangeException(nameof(code), code, "A STUN error code lies in 300..699.");
        StunValue.EncodeText(reason, MaxReasonBytes, "ERROR-CODE reason");
        Code = code;
        Reason = reason;
    }

    /// <summary>The error code, class times 100 plus number.</summary>
    public int Code { get; }
    /// <summary>The reason phrase.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override ushort Type => StunAttributeType.ErrorCode;
    internal override int ValueLength => 4 + Encoding.UTF8.GetByteCount(Reason);

    internal override void WriteValue(Span<byte> destination, StunTransactionId transactionId)
    {
        destination[0] = 0;
        destination[1] = 0;
        destination[2] = (byte)(Code / 100);
        destination[3] = (byte)(Code % 100);
        Encoding.UTF8.GetBytes(Reason, destination[4..]);
    }

    internal static ErrorCodeAttribute Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw new StunFormatException($"ERROR-CODE is too short ({value.Length} bytes).");
        var cls = value[2] & 0x07;
        var number = value[3];
        if (cls is < 3 or > 6 || number > 99)
            throw new StunFormatException($"ERROR-CODE has class {cls} and number {number}; a code lies in 300..699.");
        return new ErrorCodeAttribute(cls * 100 + number, StunValue.ReadText(value[4..], MaxReasonBytes, "ERROR-CODE reason"));
    }
}
