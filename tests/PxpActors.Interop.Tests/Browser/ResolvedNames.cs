using System.Collections.Concurrent;
using System.Net;
using PxpActors.WebRtc.Ice.Mdns;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>Our ICE's host-name resolver (mDNS for ".local"), recording every name it was asked and what it found.</summary>
internal sealed class ResolvedNames
{
    private readonly ConcurrentQueue<(string Name, IPAddress[] Addresses)> _answers = new();

    public IReadOnlyList<(string Name, IPAddress[] Addresses)> Answers => [.. _answers];

    public async Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var addresses = Array.Empty<IPAddress>();
        try
        {
            addresses = await MdnsResolver.ResolveAsync(name, cancellationToken);
            return addresses;
        }
        finally
        {
            _answers.Enqueue((name, addresses));
        }
    }

    public override string ToString() =>
        string.Join("; ", _answers.Select(a => $"{a.Name} -> [{string.Join(", ", (IEnumerable<IPAddress>)a.Addresses)}]"));
}
