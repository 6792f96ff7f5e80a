using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace PxpActors.Hosting;

/// <summary>
/// Puts the hosted <see cref="PeerExchange"/> facade into DI. A separate call because Akka.Hosting's builder does not give
/// <c>WithXxx</c> methods the service collection.
/// </summary>
public static class PeerExchangeServiceCollectionExtensions
{
    /// <summary>Registers <see cref="PeerExchange"/>: the exchange of the ActorSystem that <c>AddAkka</c> registered.</summary>
    public static IServiceCollection AddPeerExchange(this IServiceCollection services) =>
        services.AddSingleton(sp => PeerExchangeExtension.Get(sp.GetRequiredService<ActorSystem>()));
}
