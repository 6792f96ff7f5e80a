namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Bytes a JS node wrote on one connection: its unprompted session start (magic, open "pxp",
/// hello), then, per <see cref="GoldenRequest"/>, the bytes it wrote in reply.
/// </summary>
public sealed record GoldenSession(byte[] SessionStart, IReadOnlyList<byte[]> Replies);
