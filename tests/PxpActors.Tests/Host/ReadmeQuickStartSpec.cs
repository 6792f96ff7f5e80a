using System.Net;
using System.Net.Sockets;
using PxpActors.TestSupport.Host;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Processes;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Host;

/// <summary>
/// README's "Quick start", run as written: its three commands, in order, on free ports instead of 7000–7002 (the
/// <c>dotnet run --project src/PxpActors.Host --</c> of each is the built host, run with the same arguments).
/// </summary>
public sealed class ReadmeQuickStartSpec
{
    private const string HostCommand = "dotnet run --project src/PxpActors.Host -- ";
    private const string JsCommand = "cd tests/PxpActors.TestSupport/js && npm ci && ";

    [SkippableFact]
    public async Task The_quick_start_must_run_as_written()
    {
        NodeTool.SkipUnlessAvailable();
        var commands = QuickStartCommands();
        Assert.Equal(3, commands.Count);
        var ports = new Dictionary<string, string> { ["7000"] = FreePort(), ["7001"] = FreePort(), ["7002"] = FreePort() };
        string OnFreePorts(string line) => ports.Aggregate(line, (text, port) => text.Replace(":" + port.Key, ":" + port.Value));

        // 1. The echoing node, on TCP and WebSocket.
        Assert.StartsWith(HostCommand, commands[0]);
        await using var first = HostProcess.Start(Arguments(OnFreePorts(commands[0])[HostCommand.Length..]));
        await first.NextLineAsync(l => l.EndsWith($"listening on tcp://127.0.0.1:{ports["7000"]}", StringComparison.Ordinal));
        await first.NextLineAsync(l => l.EndsWith($"listening on ws://127.0.0.1:{ports["7001"]}/pxp", StringComparison.Ordinal));

        // 2. A second node joins and says hello: the first prints it, the second its echo.
        Assert.StartsWith(HostCommand, commands[1]);
        await using var second = HostProcess.Start(Arguments(OnFreePorts(commands[1])[HostCommand.Length..]));
        await first.NextLineAsync(l => l.EndsWith("data: hello", StringComparison.Ordinal));
        await second.NextLineAsync(l => l.EndsWith("data: hello", StringComparison.Ordinal));

        // 3. The JS reference joins over ws and gets its hello back.
        Assert.StartsWith(JsCommand, commands[2]);
        await JsReferenceInstaller.EnsureInstalledAsync(); // the npm ci of the line, once per lock file
        var js = Arguments(OnFreePorts(commands[2])[JsCommand.Length..]);
        Assert.Equal("node", js[0]);
        var output = await Command.RunToSuccessAsync(NodeTool.Node!, js[1..], JsReferencePaths.JsDirectory, TimeSpan.FromSeconds(60));
        Assert.Contains("received: hello-from-js", output);
        await first.NextLineAsync(l => l.EndsWith("peer added over ws (incoming); 2 peer(s)", StringComparison.Ordinal));

        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync());
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync());
    }

    /// <summary>The commands of the README's quick start block, comments and blank lines left out.</summary>
    private static List<string> QuickStartCommands()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var section = readme.IndexOf("\n## Quick start\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"## Quick start\" section");
        var blockStart = readme.IndexOf("```bash\n", section, StringComparison.Ordinal) + "```bash\n".Length;
        var blockEnd = readme.IndexOf("```", blockStart, StringComparison.Ordinal);
        return readme[blockStart..blockEnd].Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
    }

    private static string[] Arguments(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
