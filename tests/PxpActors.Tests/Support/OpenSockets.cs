namespace PxpActors.Tests.Support;

/// <summary>Counts this process's open socket descriptors (Linux /proc), to prove nothing leaks.</summary>
public static class OpenSockets
{
    public static int Count() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
                }
                catch (IOException)
                {
                    return false; // closed while we looked
                }
            });

    /// <summary>Waits until the count is back to <paramref name="expected"/> (sockets close asynchronously).</summary>
    public static async Task WaitForCountAsync(int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int count;
        while ((count = Count()) > expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{count} sockets open, expected {expected}");
            await Task.Delay(20); // polling the OS for the condition itself
        }
    }
}
