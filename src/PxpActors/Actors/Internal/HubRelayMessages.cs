namespace PxpActors.Actors.Internal;

// ---- HubRelayActor ⇄ the asker's PeerActor ----

/// <summary>Both halves of the relay for the asker's request <paramref name="Nonce"/> are open: the session replies ok, then starts it.</summary>
internal sealed record HubRelayOpened(string Nonce);

/// <summary>The relay for the asker's request <paramref name="Nonce"/> could not open; the session replies <paramref name="Error"/>.</summary>
internal sealed record HubRelayFailed(string Nonce, string Error);

/// <summary>The asker has its reply: the relay starts piping.</summary>
internal sealed record StartHubRelay
{
    public static StartHubRelay Instance { get; } = new();
}
