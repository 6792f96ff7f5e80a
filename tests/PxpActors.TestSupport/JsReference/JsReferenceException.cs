namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// The JS reference fixture could not do what a test asked: the driver process died, a wait
/// timed out, npm failed, or the reference itself answered a command with an error
/// (<see cref="ReferenceError"/> then holds the reference's own message, for tests to assert on).
/// </summary>
public sealed class JsReferenceException(string message, string? referenceError = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The error text the JS reference reported, when the failure came from it.</summary>
    public string? ReferenceError { get; } = referenceError;
}
