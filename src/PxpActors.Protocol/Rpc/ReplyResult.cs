namespace PxpActors.Protocol.Rpc;

/// <summary>The outcome of one request: the value, or the error text the peer (or its malformed reply) gave.</summary>
public sealed record ReplyResult<T>(T? Value, string? Error)
{
    public bool IsSuccess => Error is null;

    public static ReplyResult<T> Succeeded(T value) => new(value, null);

    public static ReplyResult<T> Failed(string error) => new(default, error);
}
