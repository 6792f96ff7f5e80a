using System.Reflection;
using PxpActors.TestSupport.Processes;
using PxpActors.TestSupport.Host;

namespace PxpActors.Tests.Host;

/// <summary>The host as a user installs it: packed as a dotnet tool, installed with <c>dotnet tool install</c>, run as <c>pxp</c>.</summary>
public sealed class HostToolSpec : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    // A version of its own per run: the package lands in the machine's NuGet cache, which must not serve an older build.
    private readonly string _version = $"0.0.0-tooltest.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "pxp-tool-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_packed_tool_must_install_as_pxp_and_run_a_node()
    {
        var root = typeof(HostToolSpec).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PxpActors.RepositoryRoot").Value!;
        var feed = Path.Combine(_work, "feed");
        var tools = Path.Combine(_work, "tools");
        Directory.CreateDirectory(_work);
        // Its own artifacts folder: never the obj/ of a build that may be running beside this test.
        await Command.RunToSuccessAsync("dotnet", ["pack", Path.Combine(root, "src", "PxpActors.Host", "PxpActors.Host.csproj"), "-o", feed,
            "--artifacts-path", Path.Combine(_work, "artifacts"), $"-p:Version={_version}"], root, CommandTimeout);
        await Command.RunToSuccessAsync("dotnet", ["tool", "install", "PxpActors.Host", "--tool-path", tools, "--add-source", feed, "--version", _version], _work, CommandTimeout);
        var pxp = Path.Combine(tools, "pxp");
        Assert.True(File.Exists(pxp), "no pxp command after dotnet tool install");

        await using (var help = HostProcess.StartProgram(pxp, "--help"))
        {
            Assert.Equal(0, await help.WaitForExitAsync());
            Assert.Contains(help.LinesNotJson, l => l.Contains("--listen <URL>"));
        }

        // Run from a folder of its own: the defaults travel inside the tool.
        await using var node = HostProcess.StartProgram(pxp, "--json", "--listen", "tcp://127.0.0.1:0");
        var url = await node.ListeningAsync();
        await using (var peer = new PeerExchange("pxp-demo"))
        {
            await peer.ConnectAsync(url);
            await node.NextEventAsync("peer");
        }
        node.Terminate();
        await node.NextEventAsync("closed");
        Assert.Equal(0, await node.WaitForExitAsync());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var installed = Path.Combine(cache, "pxpactors.host", _version);
            if (Directory.Exists(installed)) Directory.Delete(installed, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in a temp folder; the next run uses other names.
        }
    }
}
