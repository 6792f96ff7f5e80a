namespace PxpActors.TestSupport.JsReference;

/// <summary>Raw bytes a test writes to a JS node, and how many RPC messages the node writes in reply.</summary>
public sealed record GoldenRequest(ReadOnlyMemory<byte> Bytes, int ReplyMessages);
