using System.Runtime.InteropServices;

namespace PxpActors.Host;

/// <summary>
/// Whether SIGINT or SIGTERM arrived. The generic host's console lifetime acts on them (stops the host); this only
/// remembers, so a host stopped by a signal during its start is told from one whose start failed.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private volatile bool _received;

    public ShutdownSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => _received = true),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => _received = true),
        ];
    }

    public bool Received => _received;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
