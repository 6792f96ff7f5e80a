using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// Our node against the JS reference: these tests start node processes and, for the WebRTC upgrade,
/// libwebrtc; run one at a time so they do not starve each other on a small machine (the throttle test
/// measures time).
/// </summary>
[CollectionDefinition(Name)]
public sealed class JsNodeCollection
{
    public const string Name = "Our node against the JS reference";
}
