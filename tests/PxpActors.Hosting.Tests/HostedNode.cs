using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PxpActors.Actors;

namespace PxpActors.Hosting.Tests;

/// <summary>A generic host running <c>AddAkka(..).WithPeerExchange(..)</c>, with the facade's events recorded.</summary>
internal sealed class HostedNode : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private HostedNode(IHost host)
    {
        Host = host;
        Exchange = host.Services.GetRequiredService<PeerExchange>();
        System = host.Services.GetRequiredService<ActorSystem>();
        Exchange.PeerAdded += p => Added.Enqueue(p);
        Exchange.PeerRemoved += (p, reason) => Removed.Enqueue((p, reason));
        Exchange.PeerError += (_, e) => Errors.Enqueue(e);
    }

    public IHost Host { get; }

    public PeerExchange Exchange { get; }

    public ActorSystem System { get; }

    public ConcurrentQueue<PeerInfo> Added { get; } = new();

    /// <summary>Peers gone, with why (null: an orderly close).</summary>
    public ConcurrentQueue<(PeerInfo Peer, Exception? Reason)> Removed { get; } = new();

    public ConcurrentQueue<Exception> Errors { get; } = new();

    /// <summary>Builds and starts a host whose Akka set-up is <paramref name="configure"/>.</summary>
    public static async Task<HostedNode> StartAsync(Action<AkkaConfigurationBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(collection => services?.Invoke(collection))
            .ConfigureServices(services =>
            {
                services.AddAkka("hosted-" + Guid.NewGuid().ToString("N")[..8], builder => configure(builder));
                services.AddPeerExchange();
            })
            .Build();
        await host.StartAsync().WaitAsync(Patience);
        return new HostedNode(host);
    }

    public Uri ListenAddress => Exchange.ListenAddresses.Single();

    /// <summary>Waits until <paramref name="condition"/> holds, polling: it watches state other threads change.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}");
            await Task.Delay(10);
        }
    }

    public async Task StopAsync() => await Host.StopAsync().WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
    }
}
