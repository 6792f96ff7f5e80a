using Xunit;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>The browser specs run one at a time (Chromium is heavy on two cores), not beside the other heavy interop specs' peak.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Chromium pages";
}
