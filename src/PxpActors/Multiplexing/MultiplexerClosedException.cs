namespace PxpActors.Multiplexing;

/// <summary>The session's multiplexer has stopped, so no substream can be opened or used on it.</summary>
public sealed class MultiplexerClosedException(string message, Exception? cause = null) : Exception(message, cause);
