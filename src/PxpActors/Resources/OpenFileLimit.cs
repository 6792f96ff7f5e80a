using System.Runtime.InteropServices;

namespace PxpActors.Resources;

/// <summary>The process's soft limit on open file descriptors (RLIMIT_NOFILE), where the platform has one.</summary>
internal static class OpenFileLimit
{
    private const int RlimitNofile = 7; // Linux

    /// <summary>The soft limit, or null where it is unknown or unlimited.</summary>
    public static long? Current
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return null;
            try
            {
                return GetRLimit(RlimitNofile, out var limit) == 0 && limit.Current < long.MaxValue ? (long)limit.Current : null;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetRLimit(int resource, out RLimit limit);
}
