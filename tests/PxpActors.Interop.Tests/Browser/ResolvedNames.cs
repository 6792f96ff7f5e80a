using System.Collections.Concurrent;
using System.Net;
using PxpActors.WebRtc.Ice.Mdns;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>Our ICE's host-name resolver (mDNS for ".local"), recording every name it was asked and what it found.</summary>
internal sealed class ResolvedNames
{
    private readonly ConcurrentQueue<string> _asked = new();
    private readonly ConcurrentQueue<(string Name, IPAddress[] Addresses)> _answers = new();
    private readonly TaskCompletionSource<(string Name, IPAddress[] Addresses)> _firstFound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Asked => [.. _asked];

    /// <summary>Completes with the first name that resolved to an address.</summary>
    public Task<(string Name, IPAddress[] Addresses)> FirstFound => _firstFound.Task;

    public async Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        _asked.Enqueue(name);
        var addresses = Array.Empty<IPAddress>();
        try
        {
            addresses = await MdnsResolver.ResolveAsync(name, cancellationToken);
            return addresses;
        }
        finally
        {
            _answers.Enqueue((name, addresses));
            if (addresses.Length > 0) _firstFound.TrySetResult((name, addresses));
        }
    }

    public override string ToString() =>
        $"asked [{string.Join(", ", _asked)}], answers: " +
        string.Join("; ", _answers.Select(a => $"{a.Name} -> [{string.Join(", ", (IEnumerable<IPAddress>)a.Addresses)}]"));
}
