using System.Net;
using System.Text;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PxpActors.Actors;
using PxpActors.Host.CommandLine;
using PxpActors.Host.Demo;
using HostOptions = PxpActors.Host.CommandLine.HostOptions;
using PxpActors.Host.Output;
using PxpActors.Hosting;

namespace PxpActors.Host;

/// <summary>
/// Runs one node as the command line asked: the .NET generic host with Akka.Hosting's <c>WithPeerExchange</c>, logs through
/// Microsoft.Extensions.Logging, metrics through OpenTelemetry; then listens, connects to the bootstrap peers and serves
/// application connections until SIGINT/SIGTERM, when it closes every connection gracefully.
/// </summary>
/// <param name="stdout">Where --json events go.</param>
internal sealed class NodeHost(HostOptions options, HostConfig config, TextWriter stdout)
{
    // Application connections being served; each leaves the set when it ends, so a long-lived host keeps nothing per closed one.
    private readonly HashSet<Task> _serving = [];

    /// <summary>Application connections being served now.</summary>
    internal int ServingConnections
    {
        get
        {
            lock (_serving) return _serving.Count;
        }
    }

    /// <summary>
    /// Runs until SIGINT/SIGTERM or <paramref name="stop"/>; a way to start wrong throws <see cref="HostUsageException"/>
    /// before anything runs.
    /// </summary>
    public async Task RunAsync(CancellationToken stop = default)
    {
        using var signals = new ShutdownSignals();
        using var host = Build();
        var output = options.Json
            ? HostOutput.Json(stdout)
            : HostOutput.Human(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("pxp"));
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not HostUsageException)
        {
            throw new HostUsageException(StartFailure(e), e);
        }
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await using var stopping = stop.Register(lifetime.StopApplication);
        var exchange = host.Services.GetRequiredService<PeerExchange>();
        Attach(exchange, output, lifetime.ApplicationStopping);

        DemoSite? demo = null;
        try
        {
            // Akka.Hosting logs a failed start and stops the host rather than throwing: stopping without a signal is that.
            if (lifetime.ApplicationStopping.IsCancellationRequested && !signals.Received && !stop.IsCancellationRequested)
                throw new HostUsageException("the node could not start (its log says why)");
            var listening = new List<Uri>();
            foreach (var address in config.Listen)
            {
                listening.Add(await ListenAsync(exchange, address).ConfigureAwait(false));
                output.Listening(listening[^1]);
            }
            if (options.ServeDemo is { } folder)
            {
                demo = await ServeDemoAsync(folder, options.DemoUrl!, listening, lifetime.ApplicationStopping).ConfigureAwait(false);
                output.Demo(demo.Address);
            }
        }
        catch (HostUsageException) when (!signals.Received && !stop.IsCancellationRequested)
        {
            await host.StopAsync().ConfigureAwait(false);
            throw;
        }
        catch (HostUsageException)
        {
            // Told to stop while starting: the listener failed because the node was closing. An orderly stop.
        }
        foreach (var address in config.Connect) _ = ConnectAsync(exchange, address, output, lifetime.ApplicationStopping);

        using var status = options.Json || options.Status <= TimeSpan.Zero ? null : new StatusLine();
        var reporting = status is null
            ? Task.CompletedTask
            : ReportStatusAsync(status, options.Status, exchange, output, lifetime.ApplicationStopping);

        await host.WaitForShutdownAsync().ConfigureAwait(false); // SIGINT/SIGTERM: Akka.Hosting closes the node on the way
        if (demo is not null) await demo.DisposeAsync().ConfigureAwait(false);
        await reporting.ConfigureAwait(false);
        Task[] serving;
        lock (_serving) serving = [.. _serving];
        await Task.WhenAll(serving).ConfigureAwait(false);
        output.Closed();
    }

    private IHost Build()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true, // no appsettings, environment or command line of the generic host: ours is above
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        ConfigureLogging(builder.Logging);

        builder.Services.AddAkka("pxp", akka =>
        {
            akka.AddHocon(config.Node, HoconAddMode.Prepend);
            akka.AddHocon("""
                akka.stdout-loglevel = off
                akka.log-dead-letters = off
                akka.log-dead-letters-during-shutdown = off
                """, HoconAddMode.Prepend);
            // Warnings only from the node's actors: its per-session lines would be one a connection in a flood.
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithPeerExchange(node =>
            {
                node.NetworkId = config.Network;
                if (options.NoIncoming) node.AllowIncoming = false;
            });
        });
        builder.Services.AddPeerExchange();

        if (options.Metrics is { } metrics)
        {
            builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("pxp")).WithMetrics(meters => meters
                .AddMeter(Diagnostics.PxpMetrics.MeterName)
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = metrics.Host;
                    listener.Port = metrics.Port;
                    listener.ScrapeEndpointPath = metrics.AbsolutePath;
                }));
        }
        return builder.Build();
    }

    private void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // a failed start is our one line on stderr
        if (options.Json)
        {
            // stdout carries the JSON events alone: warnings and errors go to stderr.
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            return;
        }
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("OpenTelemetry", LogLevel.Warning);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    }

    private void Attach(PeerExchange exchange, HostOutput output, CancellationToken stop)
    {
        exchange.PeerAdded += peer => output.Peer(peer.Transport, peer.Incoming, exchange.Peers.Count);
        exchange.PeerRemoved += (_, _) => output.Disconnect(exchange.Peers.Count);
        exchange.PeerError += (_, error) => output.Error(error.Message);
        exchange.Error += error => output.Error(error.Message);
        exchange.Connected += connection => Track(ServeAsync(connection, output, stop));
    }

    private static async Task<Uri> ListenAsync(PeerExchange exchange, Uri address)
    {
        try
        {
            return await exchange.ListenAsync(address).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new HostUsageException($"cannot listen on {address.ToString().TrimEnd('/')}: {e.Message}", e);
        }
    }

    /// <summary>--serve-demo: the page joins the node over its first WebSocket listener.</summary>
    private async Task<DemoSite> ServeDemoAsync(string folder, Uri at, IReadOnlyList<Uri> listening, CancellationToken stop)
    {
        var webSockets = listening.Where(u => u.Scheme is "ws" or "wss").ToList();
        if (webSockets.Count == 0)
            throw new HostUsageException("--serve-demo: browsers join over WebSocket; add --listen ws://HOST:PORT/");
        try
        {
            return await DemoSite.StartAsync(folder, at, config.Network, webSockets, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new HostUsageException($"--serve-demo: cannot serve at {at}: {(e.InnerException ?? e).Message}", e);
        }
    }

    private static async Task ConnectAsync(PeerExchange exchange, Uri address, HostOutput output, CancellationToken stop)
    {
        try
        {
            await exchange.AddPeerAsync(address, stop).ConfigureAwait(false); // its connection comes to Connected, as incoming ones do
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            output.Error($"connect to {address} failed: {e.Message}");
        }
        catch (Exception)
        {
            // The host is stopping.
        }
    }

    private static async Task ReportStatusAsync(StatusLine status, TimeSpan interval, PeerExchange exchange, HostOutput output,
        CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                output.FlushSuppressedErrors();
                output.Status(status.Describe(exchange.Peers));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Track(Task serving)
    {
        lock (_serving) _serving.Add(serving);
        serving.ContinueWith(done =>
        {
            lock (_serving) _serving.Remove(done);
        }, TaskScheduler.Default);
    }

    /// <summary>One application connection: --send once, then report (and with --echo return) what arrives.</summary>
    private async Task ServeAsync(PxpConnection connection, HostOutput output, CancellationToken stop)
    {
        output.Connect(connection.Transport, connection.Incoming);
        await using var stream = connection.OpenStream();
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            if (options.Send is not null) await stream.WriteAsync(Encoding.UTF8.GetBytes(options.Send), stop).ConfigureAwait(false);
            int read;
            while ((read = await stream.ReadAsync(buffer, stop).ConfigureAwait(false)) > 0)
            {
                var chars = new char[decoder.GetCharCount(buffer, 0, read)];
                decoder.GetChars(buffer, 0, read, chars, 0);
                if (chars.Length > 0) output.Data(new string(chars));
                if (options.Echo) await stream.WriteAsync(buffer.AsMemory(0, read), stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The connection or the host is closing; nothing to report.
        }
    }

    /// <summary>Why the host could not start, in one line (the metrics listener is the one part that can fail there).</summary>
    private string StartFailure(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        var what = options.Metrics is { } metrics && (e is HttpListenerException || innermost is HttpListenerException || e.StackTrace?.Contains("Prometheus") == true)
            ? $"--metrics: cannot serve {metrics}"
            : "cannot start";
        return $"{what}: {innermost.Message}";
    }
}
