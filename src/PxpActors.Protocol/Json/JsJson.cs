using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PxpActors.Protocol.Json;

/// <summary>
/// Writes JSON byte-for-byte as JavaScript's JSON.stringify does (compact, properties in order, only
/// the escapes JS emits), so the RPC lines we send equal the reference's. System.Text.Json escapes
/// more (non-ASCII, HTML characters) and would not match.
/// </summary>
public sealed class JsJson(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _out = output;

    /// <summary>Writes UTF-8 bytes as they are (already JSON).</summary>
    public void Raw(ReadOnlySpan<byte> utf8) => _out.Write(utf8);

    /// <summary>Writes <c>null</c>.</summary>
    public void Null() => Raw("null"u8);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void Bool(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>Writes an integer as JavaScript prints it.</summary>
    public void Number(long value) => Ascii(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a string with the escapes JSON.stringify uses, and no others.</summary>
    public void String(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || IsLoneSurrogate(value, i))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        Utf8(sb.ToString());
    }

    /// <summary>Writes a parsed value back out, keeping property order and number spelling.</summary>
    public void Element(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                Raw("{"u8);
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first) Raw(","u8);
                    first = false;
                    String(property.Name);
                    Raw(":"u8);
                    Element(property.Value);
                }
                Raw("}"u8);
                break;
            case JsonValueKind.Array:
                Raw("["u8);
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem) Raw(","u8);
                    firstItem = false;
                    Element(item);
                }
                Raw("]"u8);
                break;
            case JsonValueKind.String: String(element.GetString()!); break;
            case JsonValueKind.Number: Ascii(element.GetRawText()); break;
            case JsonValueKind.True: Bool(true); break;
            case JsonValueKind.False: Bool(false); break;
            default: Null(); break;
        }
    }

    /// <summary>Writes an array of strings.</summary>
    public void StringArray(IEnumerable<string> values)
    {
        Raw("["u8);
        var first = true;
        foreach (var value in values)
        {
            if (!first) Raw(","u8);
            first = false;
            String(value);
        }
        Raw("]"u8);
    }

    private static bool IsLoneSurrogate(string s, int i)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c)) return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(s[i - 1]);
        return false;
    }

    private void Ascii(string s) => Utf8(s);

    private void Utf8(string s)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        _out.Advance(Encoding.UTF8.GetBytes(s, span));
    }
}
