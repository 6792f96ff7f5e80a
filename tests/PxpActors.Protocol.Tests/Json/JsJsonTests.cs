using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PxpActors.Protocol.Json;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.Protocol.Tests.Json;

public sealed class JsJsonTests
{
    private static string Write(Action<JsJson> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new JsJson(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Str(string value) => Write(json => json.String(value));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("q\"uote", "\"q\\\"uote\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\"")]
    [InlineData("\u000b\u001b", "\"\\u000b\\u001b\"")]
    [InlineData("\u007f", "\"\u007f\"")]
    [InlineData("/ < > & '", "\"/ < > & '\"")]
    [InlineData("é ☃ \u2028\u2029", "\"é ☃ \u2028\u2029\"")]
    [InlineData("🎉", "\"🎉\"")]
    public void JsJson_must_escape_strings_exactly_like_JSON_stringify(string value, string expected) =>
        Assert.Equal(expected, Str(value));

    [Fact]
    public void JsJson_must_escape_lone_surrogates_in_lowercase_hex()
    {
        Assert.Equal("\"\\ud800\"", Str("\ud800"));
        Assert.Equal("\"a\\udfffb\"", Str("a\udfffb"));
        Assert.Equal("\"\\udc00\\ud800\"", Str("\udc00\ud800"));
        Assert.Equal("\"\ud83c\udf89\\ud83c\"", Str("\ud83c\udf89\ud83c"));
    }

    [Fact]
    public void JsJson_must_write_non_ASCII_as_raw_UTF8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new JsJson(buffer).String("é");

        Assert.Equal(new byte[] { 0x22, 0xC3, 0xA9, 0x22 }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void JsJson_must_write_literals_numbers_and_string_arrays_compactly()
    {
        Assert.Equal("null", Write(j => j.Null()));
        Assert.Equal("true", Write(j => j.Bool(true)));
        Assert.Equal("false", Write(j => j.Bool(false)));
        Assert.Equal("-42", Write(j => j.Number(-42)));
        Assert.Equal("[]", Write(j => j.StringArray([])));
        Assert.Equal("[\"a\",\"b\\n\"]", Write(j => j.StringArray(["a", "b\n"])));
    }

    [Fact]
    public void JsJson_must_write_a_parsed_element_back_compact_and_in_order()
    {
        using var document = JsonDocument.Parse("""
            { "z" : 1, "a" : [ true, false, null, "x\u00e9" ], "n" : { }, "e" : [ ], "s" : "\u0001" }
            """);

        Assert.Equal("{\"z\":1,\"a\":[true,false,null,\"xé\"],\"n\":{},\"e\":[],\"s\":\"\\u0001\"}",
            Write(j => j.Element(document.RootElement)));
    }

    /// <summary>
    /// The final word on "exactly like JSON.stringify": the same strings through Node's JSON.stringify,
    /// compared byte for byte.
    /// </summary>
    [SkippableFact]
    public async Task JsJson_must_equal_nodes_JSON_stringify_byte_for_byte()
    {
        Skip.If(NodeTool.Node is null, "node is not on PATH");
        var random = new Random(2024);
        var samples = new List<string> { "", "\"\\/", "\ud800", "x\udbff", "\udc00y", "\u2028", "\u007f\u0080" };
        samples.Add(new string(Enumerable.Range(0, 0x80).Select(i => (char)i).ToArray()));
        for (var i = 0; i < 200; i++)
            samples.Add(new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => RandomChar(random)).ToArray()));

        // Hand the strings to node as pure-ASCII escapes, written here: serializers replace lone surrogates.
        var input = "[" + string.Join(",", samples.Select(s => "\"" + string.Concat(s.Select(c => $"\\u{(int)c:x4}")) + "\"")) + "]";
        var start = new ProcessStartInfo(NodeTool.Node!, ["-e",
            "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>" +
            "process.stdout.write(JSON.parse(s).map(x=>JSON.stringify(x)).join('\\n')))"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();

        var expected = output.Split('\n');
        Assert.Equal(samples.Count, expected.Length);
        for (var i = 0; i < samples.Count; i++) Assert.Equal(expected[i], Str(samples[i]));
    }

    private static char RandomChar(Random random) => random.Next(6) switch
    {
        0 => (char)random.Next(0, 0x20),
        1 => (char)random.Next(0xD800, 0xE000),
        2 => (char)random.Next(0x80, 0x800),
        3 => "\"\\/\b\f\n\r\t"[random.Next(8)],
        4 => (char)random.Next(0x800, 0xD800),
        _ => (char)random.Next(0x20, 0x7F),
    };
}
