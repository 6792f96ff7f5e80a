using System.IO.Compression;
using System.Reflection;
using PxpActors.TestSupport.Processes;
using System.Xml.Linq;

namespace PxpActors.Hosting.Tests;

/// <summary>
/// The libraries as a user gets them: packed, then restored by a fresh console project that has no project references,
/// which embeds a node with WithPeerExchange and runs it.
/// </summary>
public sealed class PackSpec : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] Libraries = ["PxpActors.Protocol", "PxpActors", "PxpActors.WebRtc", "PxpActors.Hosting"];

    // A version of its own per run: the packages land in the machine's NuGet cache, which must not serve an older build.
    private readonly string _version = $"0.0.0-packtest.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "pxp-pack-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_packed_libraries_must_carry_their_metadata_and_embed_a_node_in_a_fresh_project()
    {
        var root = typeof(PackSpec).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PxpActors.RepositoryRoot").Value!;
        var feed = Path.Combine(_work, "feed");
        foreach (var library in Libraries)
        {
            // Its own artifacts folder: never the obj/ of a build that may be running beside this test.
            await Command.RunToSuccessAsync("dotnet", ["pack", Path.Combine(root, "src", library, library + ".csproj"), "-o", feed,
                "--artifacts-path", Path.Combine(_work, "artifacts"), $"-p:Version={_version}"], root, CommandTimeout);
            using var package = ZipFile.OpenRead(Path.Combine(feed, $"{library}.{_version}.nupkg"));
            var nuspec = ReadNuspec(package, library);
            Assert.False(string.IsNullOrWhiteSpace(Element(nuspec, "description")), library + " has no description");
            var license = nuspec.Descendants().Single(e => e.Name.LocalName == "license");
            Assert.Equal(("expression", "Apache-2.0"), (license.Attribute("type")?.Value, license.Value));
            Assert.Equal("README.md", Element(nuspec, "readme"));
            Assert.Contains("## Embed it", ReadEntry(package, "README.md"));
            var repository = nuspec.Descendants().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
            // The XML documentation beside the assembly, with a summary for its public types (CS1591 fails the build otherwise).
            var docs = XElement.Parse(ReadEntry(package, $"lib/net10.0/{library}.xml"));
            Assert.Equal(library, docs.Element("assembly")?.Element("name")?.Value);
            Assert.Contains(docs.Descendants("member"), m => m.Attribute("name")!.Value.StartsWith("T:", StringComparison.Ordinal)
                && !string.IsNullOrWhiteSpace(m.Element("summary")?.Value));
            Assert.True(File.Exists(Path.Combine(feed, $"{library}.{_version}.snupkg")), library + " has no symbols package");
        }

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "NuGet.config"), $"""
            <configuration>
              <packageSources>
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PxpActors.Hosting" Version="{_version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        // The README's embedding example as a program (its addresses pointed at loopback and at a node of this test): start,
        // say where it listens, wait for the bootstrap peer, stop.
        await using var bootstrap = await HostedNode.StartAsync(akka => akka.WithPeerExchange("my-network", [new Uri("tcp://127.0.0.1:0")]));
        var example = ReadmeEmbedItSpec.Example
            .Replace("tcp://0.0.0.0:7000", "tcp://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("new Uri(\"tcp://10.0.0.7:7000\")", "new Uri(args[0])", StringComparison.Ordinal);
        Assert.DoesNotContain("7000", example);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), $$"""
            using Akka.Hosting;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using PxpActors;
            using PxpActors.Actors;
            using PxpActors.Hosting;

            using var host = new HostBuilder().ConfigureServices(services =>
            {
            {{example}}
            }).Build();
            await host.StartAsync();
            var exchange = host.Services.GetRequiredService<PeerExchange>();
            Console.WriteLine($"listening {exchange.NetworkId} {exchange.ListenAddresses[0]}");
            var joined = new TaskCompletionSource<PeerInfo>();
            exchange.PeerAdded += peer => joined.TrySetResult(peer);
            if (exchange.Peers.Count > 0) joined.TrySetResult(exchange.Peers[0]);
            var bootstrap = await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"peer {bootstrap.Transport} {bootstrap.RemoteAddress}");
            await host.StopAsync();
            """);
        var output = await Command.RunToSuccessAsync("dotnet", ["run", "--project", app, "--", bootstrap.ListenAddress.ToString()], app, CommandTimeout);
        Assert.Matches(@"listening my-network tcp://127\.0\.0\.1:[1-9][0-9]*", output);
        Assert.Contains($"peer tcp 127.0.0.1:{bootstrap.ListenAddress.Port}", output);
        await HostedNode.UntilAsync(() => bootstrap.Exchange.Peers.Count == 0 && bootstrap.Removed.Count == 1,
            "the bootstrap node to see the embedded node come and go");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var library in Libraries)
            {
                var installed = Path.Combine(cache, library.ToLowerInvariant(), _version);
                if (Directory.Exists(installed)) Directory.Delete(installed, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftovers in a temp folder; the next run uses other names.
        }
    }

    private static XElement ReadNuspec(ZipArchive package, string id) => XElement.Parse(ReadEntry(package, id + ".nuspec"));

    private static string ReadEntry(ZipArchive package, string path)
    {
        var entry = package.GetEntry(path) ?? throw new Xunit.Sdk.XunitException(
            $"The package has no {path}; it holds {string.Join(", ", package.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static string? Element(XElement nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
