using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Implementation;
using PxpActors.Resources;
using PxpActors.Sessions;

namespace PxpActors.Actors.Internal;

/// <summary>The node's budget as the public protocol reports it (<see cref="PxpExchange.Stats"/>): the budget itself knows no actor.</summary>
internal static class BudgetUsage
{
    /// <summary>
    /// What is in use of <paramref name="budget"/>, and what it refused, with <paramref name="upgrades"/> in progress and
    /// <paramref name="standby"/> peer connections started ahead.
    /// </summary>
    public static PxpExchange.ResourceUsage Of(ExchangeBudget budget, NodeResources resources, int upgrades, int standby) =>
        new(budget.Connections, budget.ConnectionCap, budget.PendingHandshakes, budget.RelayedSessions, budget.Relays, resources.Substreams,
            resources.BufferedBytes, resources.Sockets.Open, budget.AllRefusals(resources), upgrades, standby);

    /// <summary>Replies to <paramref name="asker"/> with the exchange's stats once the materializer has counted its streams.</summary>
    public static void ReplyStats(IActorRef asker, SessionTable sessions, int candidates, ExchangeBudget budget, NodeResources resources,
        int upgrades, int standby, IMaterializer materializer, TimeSpan timeout)
    {
        var stats = new PxpExchange.Stats(sessions.Count, sessions.Ready.Count, candidates, 0, Of(budget, resources, upgrades, standby));
        // Session streams are not the exchange's children but the materializer's: ask it how many run.
        ((ActorMaterializer)materializer).Supervisor
            .Ask<StreamSupervisor.Children>(StreamSupervisor.GetChildren.Instance, timeout)
            .PipeTo(asker, success: children => stats with { Streams = children.Refs.Count });
    }
}
