using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Configuration;

/// <summary>hocon/reference.conf, its comments, and the README's table of it agree.</summary>
public sealed partial class ReferenceConfSpec
{
    [Fact]
    public void Every_key_of_reference_conf_must_have_a_comment_above_it()
    {
        var lines = RepositoryFiles.ReadAllText("hocon/reference.conf").Split('\n');
        var uncommented = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!KeyLine().IsMatch(lines[i])) continue;
            var above = i - 1;
            while (above >= 0 && lines[above].Trim().Length == 0) above--;
            if (above < 0 || !lines[above].TrimStart().StartsWith('#')) uncommented.Add(lines[i].Trim());
        }
        Assert.Empty(uncommented);
    }

    [Fact]
    public void README_Configuration_must_list_every_key_of_reference_conf_with_its_default_and_no_other()
    {
        var documented = DocumentedKeys();
        var present = Leaves(PxpConfig.Reference.Root, "").ToDictionary(l => l.Key, l => l.Value);

        Assert.Empty(documented.Keys.Except(present.Keys).Select(k => "documented but absent: " + k));
        Assert.Empty(present.Keys.Except(documented.Keys).Select(k => "present but undocumented: " + k));
        foreach (var (key, value) in present)
            Assert.True(documented[key] == value, $"{key}: README says {documented[key]}, reference.conf {value}");
    }

    [Fact]
    public void Every_setting_must_be_read_from_reference_conf_alone()
    {
        // The records built from Config need nothing but the embedded defaults.
        var settings = ExchangeSettings.Create(Config.Empty);
        Assert.Equal("pxp-demo", settings.NetworkId);
        Assert.Equal(ExchangeSettings.Default, settings);
    }

    /// <summary>The README's table under "## Configuration": key → default, as written between backticks.</summary>
    private static Dictionary<string, string> DocumentedKeys()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var start = readme.IndexOf("## Configuration\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Configuration\" section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var keys = new Dictionary<string, string>();
        foreach (Match row in TableRow().Matches(section))
            Assert.True(keys.TryAdd(row.Groups["key"].Value, row.Groups["default"].Value), "listed twice: " + row.Groups["key"].Value);
        return keys;
    }

    /// <summary>Every leaf of the config with its value as HOCON would print it unquoted; a list as [a, b].</summary>
    private static IEnumerable<KeyValuePair<string, string>> Leaves(HoconValue value, string path)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
                foreach (var leaf in Leaves(child, path.Length == 0 ? key : $"{path}.{key}"))
                    yield return leaf;
            yield break;
        }
        var text = value.IsString()
            ? value.GetString()
            : "[" + string.Join(", ", value.GetArray().Select(v => v.GetString())) + "]";
        yield return new(path, text.Length == 0 ? "\"\"" : text);
    }

    [GeneratedRegex(@"^\s*[a-z][a-z-]*\s*(=|\{)")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^\| `(?<key>pxp\.[a-z.-]+)` \| `(?<default>[^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
