namespace PxpActors.Tests.Support;

public static class Condition
{
    /// <summary>Waits for a state reached on another thread (a stage's, a session's), failing with <paramref name="failure"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string failure, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(failure);
            await Task.Yield();
        }
    }
}
