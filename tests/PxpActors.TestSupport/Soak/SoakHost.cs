using PxpActors.TestSupport.Host;

namespace PxpActors.TestSupport.Soak;

/// <summary>
/// Starts the host the way the soak scenarios expect it: JSON events, listening on a free loopback port, echoing
/// application data (so slow readers get data they do not read), and a short request timeout so relays whose
/// target never answers end in seconds rather than the default 15.
/// </summary>
public static class SoakHost
{
    public const string Network = "soak";

    private const string Config = "pxp.request-timeout = 2s\n";

    public static async Task<(HostProcess Host, SoakTarget Target)> StartAsync(int? fileLimit = null)
    {
        var config = Path.Combine(Path.GetTempPath(), $"pxp-soak-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, Config).ConfigureAwait(false);
        var host = HostProcess.Start(fileLimit,
            "--json", "--network", Network, "--listen", "tcp://127.0.0.1:0", "--echo", "--config", config);
        host.KeepsDataEvents = false;
        try
        {
            var address = await host.ListeningAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return (host, new SoakTarget(address, Network));
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            File.Delete(config); // read at start-up
        }
    }
}
