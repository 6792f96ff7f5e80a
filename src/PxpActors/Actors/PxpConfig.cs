using Akka.Configuration;

namespace PxpActors.Actors;

/// <summary>The embedded hocon/reference.conf.</summary>
public static class PxpConfig
{
    /// <summary>Every <c>pxp.*</c> default, the fallback of every exchange's config.</summary>
    public static Config Reference { get; } = Load();

    private static Config Load()
    {
        using var stream = typeof(PxpConfig).Assembly.GetManifestResourceStream("PxpActors.reference.conf")
            ?? throw new InvalidOperationException("PxpActors.reference.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
