namespace PxpActors.Host.CommandLine;

/// <summary>A way to start wrong (bad argument, config or address): the message is printed on stderr as one line, and the host exits 2.</summary>
internal sealed class HostUsageException(string message, Exception? inner = null) : Exception(message, inner);
