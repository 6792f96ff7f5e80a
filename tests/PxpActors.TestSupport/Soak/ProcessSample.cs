using System.Globalization;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// What a process holds, read from /proc/&lt;pid&gt;: resident memory (VmRSS), threads, open file descriptors
/// (entries of fd/), the sockets among them, and its open TCP sockets (socket descriptors whose inode is in
/// net/tcp or net/tcp6).
/// </summary>
public sealed record ProcessSample(long RssKiB, int Threads, int FileDescriptors, int Sockets, int TcpSockets)
{
    /// <summary>Reads the sample of process <paramref name="pid"/>; throws if it is gone.</summary>
    public static ProcessSample Read(int pid)
    {
        var root = $"/proc/{pid}";
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"{root}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = FirstNumber(line);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)FirstNumber(line);
        }

        var socketInodes = new HashSet<string>(StringComparer.Ordinal);
        var descriptors = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"{root}/fd"))
        {
            descriptors++;
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed between listing and reading: not a socket any more
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) socketInodes.Add(target[8..^1]);
        }
        var tcp = new HashSet<string>(StringComparer.Ordinal);
        AddTcp($"{root}/net/tcp", socketInodes, tcp);
        AddTcp($"{root}/net/tcp6", socketInodes, tcp);
        return new ProcessSample(rss, threads, descriptors, socketInodes.Count, tcp.Count);
    }

    /// <summary>The larger of each figure: the peak of a run of samples.</summary>
    public ProcessSample Max(ProcessSample other) => new(Math.Max(RssKiB, other.RssKiB), Math.Max(Threads, other.Threads),
        Math.Max(FileDescriptors, other.FileDescriptors), Math.Max(Sockets, other.Sockets), Math.Max(TcpSockets, other.TcpSockets));

    public override string ToString() =>
        $"RSS {RssKiB / 1024.0:0.0} MiB, {Threads} threads, {FileDescriptors} fds ({Sockets} sockets), {TcpSockets} TCP sockets";

    private static long FirstNumber(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds the inodes of <paramref name="table"/>'s rows (10th column) that are among <paramref name="inodes"/>. A set, not
    /// a count: read while connections come and go, the table can repeat a row.
    /// </summary>
    private static void AddTcp(string table, HashSet<string> inodes, HashSet<string> found)
    {
        if (!File.Exists(table)) return;
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length > 9 && inodes.Contains(columns[9])) found.Add(columns[9]);
        }
    }
}
