using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace PxpActors.Host.CommandLine;

/// <summary>
/// Finds a pxp.* value of a user's config that the node could not read, by the kind of its default in reference.conf
/// (a switch, a duration, a size, a number): so the message names the key and says what was expected.
/// </summary>
internal static partial class ConfigValues
{
    /// <summary>The first bad value, described in one line; null when every pxp.* value has the right kind.</summary>
    public static string? FirstBadValue(Config user)
    {
        if (!user.HasPath("pxp")) return null;
        var reference = Actors.PxpConfig.Reference;
        foreach (var (path, value) in Leaves(user.GetValue("pxp"), "pxp"))
        {
            if (!reference.HasPath(path) || value.IsObject()) continue;
            var expected = reference.GetString(path) is { } text ? KindOf(text) : null;
            if (expected is null || value.IsArray()) continue;
            if (!Reads(user, path, expected.Value.Kind))
                return $"{path} = {Quote(value)} is not valid: expected {expected.Value.Description}";
        }
        return null;
    }

    private static (Kind Kind, string Description)? KindOf(string defaultText) => defaultText switch
    {
        "on" or "off" or "true" or "false" => (Kind.Switch, "on or off"),
        _ when Duration().IsMatch(defaultText) => (Kind.Duration, $"a duration like {defaultText}"),
        _ when Size().IsMatch(defaultText) => (Kind.Size, $"a size like {defaultText}"),
        _ when Number().IsMatch(defaultText) => (Kind.Number, $"a number like {defaultText}"),
        _ => null,
    };

    private static bool Reads(Config config, string path, Kind kind)
    {
        try
        {
            switch (kind)
            {
                case Kind.Switch: config.GetBoolean(path); break;
                case Kind.Duration: config.GetTimeSpan(path); break;
                case Kind.Size: _ = config.GetByteSize(path) ?? throw new FormatException(); break;
                case Kind.Number: _ = long.Parse(config.GetString(path), System.Globalization.CultureInfo.InvariantCulture); break;
            }
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException) // Akka's readers throw several kinds for a bad value
        {
            return false;
        }
    }

    private static IEnumerable<(string Path, HoconValue Value)> Leaves(HoconValue value, string path)
    {
        if (!value.IsObject())
        {
            yield return (path, value);
            yield break;
        }
        foreach (var (key, child) in value.GetObject().Items)
            foreach (var leaf in Leaves(child, $"{path}.{key}"))
                yield return leaf;
    }

    private static string Quote(HoconValue value) => System.Text.Json.JsonSerializer.Serialize(value.GetString() ?? "");

    private enum Kind
    {
        Switch,
        Duration,
        Size,
        Number,
    }

    [GeneratedRegex(@"^[0-9]+\s*(ms|s|m|h|d)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[0-9]+\s*(B|KiB|MiB|GiB|kB|MB|GB)$")]
    private static partial Regex Size();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Number();
}
