using PxpActors.Resources;

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
}
