using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using PxpActors.Protocol.Json;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Protocol.Rpc;

/// <summary>
/// Turns <see cref="PxpMessage"/> records into ndjson lines and back. Decoding is strict about shapes:
/// anything the reference would not send is a <see cref="PxpProtocolException"/> with a clear message.
/// </summary>
public static class RpcCodec
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32 };

    /// <summary>The line for <paramref name="message"/>, newline included, exactly as JSON.stringify writes it.</summary>
    public static byte[] Encode(PxpMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var json = new JsJson(buffer);
        json.Raw("["u8);
        json.String(message.Command);
        json.Raw(","u8);
        json.String(message.Nonce);
        json.Raw(","u8);
        WriteArgs(json, message);
        json.Raw("]\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one RPC line (without its newline); a malformed line is a <see cref="PxpProtocolException"/>.</summary>
    public static PxpMessage Decode(ReadOnlyMemory<byte> line)
    {
        // JsonDocument.Parse accepts invalid UTF-8 inside strings and escaped lone surrogates; the first
        // GetString then throws InvalidOperationException, maybe much later, in whichever actor reads or
        // forwards the value. Both are refused here, as protocol errors.
        if (!Utf8.IsValid(line.Span))
            throw new PxpProtocolException("Peer sent invalid UTF-8");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line, ParseOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PxpProtocolException($"Peer sent invalid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new PxpProtocolException($"Peer sent invalid UTF-8: {e.Message}", e);
        }

        // A "\uD800"-style escape of a lone surrogate is valid JSON (JSON.stringify writes them) but no .NET string.
        if (line.Span.IndexOf("\\u"u8) >= 0) RequireReadableStrings(root);

        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 3)
            throw new PxpProtocolException("Peer sent invalid PXP message: not a [command, nonce, args] array");
        var command = root[0];
        var nonceElement = root[1];
        var args = root[2];
        if (command.ValueKind != JsonValueKind.String)
            throw new PxpProtocolException("Peer sent invalid PXP message: command is not a string");
        if (nonceElement.ValueKind != JsonValueKind.String)
            throw new PxpProtocolException("Peer sent invalid PXP message: nonce is not a string");
        var nonce = nonceElement.GetString()!;

        return command.GetString() switch
        {
            "hello" => DecodeHello(nonce, args),
            "getpeers" => new GetPeers(nonce, RequireString(args, "getpeers")),
            "relay" => new Relay(nonce, RequireSingleString(args, "relay")),
            "incoming" => new Incoming(nonce, RequireSingleString(args, "incoming")),
            "upgrade" => DecodeUpgrade(nonce, args),
            "connect" => new Connect(nonce, RequireString(args, "connect")),
            "res" => new Response(nonce, args),
            var other => throw new PxpProtocolException($"Peer sent unknown PXP message: \"{other}\""),
        };
    }

    private static void WriteArgs(JsJson json, PxpMessage message)
    {
        switch (message)
        {
            case Hello hello:
                json.Raw("["u8);
                json.Number(hello.Version);
                json.Raw(","u8);
                if (hello.ConnectInfo is null) json.Null();
                else json.Element(hello.ConnectInfo.Json);
                json.Raw(","u8);
                json.StringArray(hello.Networks);
                json.Raw("]"u8);
                break;
            case GetPeers getPeers: json.String(getPeers.Network); break;
            case Relay relay: json.StringArray([relay.CandidateId]); break;
            case Incoming incoming: json.StringArray([incoming.RelayId]); break;
            case Upgrade upgrade:
                json.Raw("{\"transport\":"u8);
                json.String(upgrade.Transport);
                json.Raw(",\"signal\":"u8);
                json.Element(upgrade.Signal);
                json.Raw("}"u8);
                break;
            case Connect connect: json.String(connect.Network); break;
            case Response response: json.Element(response.Args); break;
            default: throw new ArgumentException($"Unknown message type {message.GetType().Name}", nameof(message));
        }
    }

    private static Hello DecodeHello(string nonce, JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Array || args.GetArrayLength() != 3)
            throw new PxpProtocolException("Peer sent invalid hello: args must be [version, connectInfo, networks]");
        var version = args[0];
        var connectInfo = args[1];
        var networks = args[2];
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt64(out var v))
            throw new PxpProtocolException("Peer sent invalid hello: version is not an integer");
        if (connectInfo.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw new PxpProtocolException("Peer sent invalid hello: connectInfo is neither an object nor null");
        if (networks.ValueKind != JsonValueKind.Array)
            throw new PxpProtocolException("Peer sent invalid hello: networks is not an array");
        var names = new List<string>(networks.GetArrayLength());
        foreach (var network in networks.EnumerateArray())
        {
            if (network.ValueKind != JsonValueKind.String)
                throw new PxpProtocolException("Peer sent invalid hello: a network id is not a string");
            names.Add(network.GetString()!);
        }
        var info = connectInfo.ValueKind == JsonValueKind.Null ? null : new ConnectInfo(connectInfo);
        return new Hello(nonce, v, info, names);
    }

    private static Upgrade DecodeUpgrade(string nonce, JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object
            || !args.TryGetProperty("transport", out var transport)
            || transport.ValueKind != JsonValueKind.String)
            throw new PxpProtocolException("Peer sent invalid upgrade: args must be {\"transport\":string,\"signal\":...}");
        var signal = args.TryGetProperty("signal", out var s) ? s : default;
        return new Upgrade(nonce, transport.GetString()!, signal);
    }

    private static void RequireReadableStrings(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    element.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) RequireReadableStrings(item);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        RequireReadableStrings(property.Value);
                    }
                    break;
            }
        }
        catch (InvalidOperationException e)
        {
            throw new PxpProtocolException("Peer sent a JSON string with a lone UTF-16 surrogate", e);
        }
    }

    private static string RequireString(JsonElement args, string command) =>
        args.ValueKind == JsonValueKind.String
            ? args.GetString()!
            : throw new PxpProtocolException($"Peer sent invalid {command}: args must be a string");

    private static string RequireSingleString(JsonElement args, string command) =>
        args.ValueKind == JsonValueKind.Array && args.GetArrayLength() >= 1 && args[0].ValueKind == JsonValueKind.String
            ? args[0].GetString()!
            : throw new PxpProtocolException($"Peer sent invalid {command}: args must be [string]");
}
