namespace PxpActors.TestSupport.Browser;

/// <summary>A DevTools command failed, timed out, or Chromium went away.</summary>
public sealed class DevToolsException(string message) : Exception(message);
