using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// One event line from driver.js, e.g. <c>{"event":"data","exchange":"a","conn":4,"data":"aGk="}</c>.
/// <see cref="Sequence"/> orders events as the driver wrote them.
/// </summary>
public sealed record JsEvent(long Sequence, string Kind, JsonObject Body)
{
    public string? Exchange => Body["exchange"]?.GetValue<string>();

    public int? Peer => Body["peer"]?.GetValue<int>();

    public int? Conn => Body["conn"]?.GetValue<int>();

    public int? Capture => Body["capture"]?.GetValue<int>();

    public string? Message => Body["message"]?.GetValue<string>();

    /// <summary>The bytes of a data or captureData event.</summary>
    public byte[] Data => Body["data"] is { } data ? Convert.FromBase64String(data.GetValue<string>()) : [];

    public override string ToString() => Body.ToJsonString();
}
