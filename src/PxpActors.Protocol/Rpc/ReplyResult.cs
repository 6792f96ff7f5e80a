namespace PxpActors.Protocol.Rpc;

/// <summary>The outcome of one request: the value, or the error text the peer (or its malformed reply) gave.</summary>
public sealed record ReplyResult<T>(T? Value, string? Error)
{
    /// <summary>True when the request succeeded: <see cref="Value"/> holds its result.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A success carrying <paramref name="value"/>.</summary>
    public static ReplyResult<T> Succeeded(T value) => new(value, null);

    /// <summary>A failure carrying the peer's (or our) error text.</summary>
    public static ReplyResult<T> Failed(string error) => new(default, error);
}
