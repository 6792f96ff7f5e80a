using System.Text.RegularExpressions;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Architecture;

/// <summary>
/// The session layer's folders only look down (docs/ARCHITECTURE.md, "Rules"): no file names a namespace of a layer
/// above its own, in a using, a qualified name or a doc reference.
/// </summary>
public sealed partial class SessionLayersSpec
{
    // Bottom to top; the top is the node's actors with the folders of their parts (sessions, candidates, ids).
    // Diagnostics and Resources are counters every layer may use, and use none.
    private static readonly string[][] Levels =
        [["Buffers"], ["Transports"], ["Carriers"], ["Multiplexing"], ["Relays"], ["Actors", "Sessions", "Candidates", "Ids"]];

    private static readonly string[] Layers = [.. Levels.SelectMany(level => level)];

    [GeneratedRegex(@"\bPxpActors\.(\w+)|(?<![\w.])(Buffers|Transports|Carriers|Multiplexing|Relays|Actors|Sessions|Candidates|Ids)\.[A-Z]")]
    private static partial Regex NamespaceReference();

    public static TheoryData<string> LayerFolders() => new(Levels[..^1].SelectMany(level => level).Append("Diagnostics").Append("Resources"));

    private static int LevelOf(string folder) => Array.FindIndex(Levels, level => level.Contains(folder));

    [Theory]
    [MemberData(nameof(LayerFolders))]
    public void A_session_layer_must_name_no_layer_above_it(string folder)
    {
        var own = LevelOf(folder); // -1: a support folder, which may name no layer at all
        var files = Directory.GetFiles(RepositoryFiles.PathOf(Path.Combine("src", "PxpActors", folder)), "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var crossings = (
            from file in files
            from line in File.ReadLines(file).Select((text, index) => (text, number: index + 1))
            from Match match in NamespaceReference().Matches(line.text)
            let named = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value
            let layer = LevelOf(named)
            where layer > own
            select $"{Path.GetFileName(file)}:{line.number} names {named}").ToList();
        Assert.True(crossings.Count == 0, $"{folder} reaches up: " + string.Join("; ", crossings));
    }

    [Fact]
    public void The_architecture_document_must_name_every_session_layer_folder()
    {
        var document = RepositoryFiles.ReadAllText(Path.Combine("docs", "ARCHITECTURE.md"));
        Assert.All(Layers, layer => Assert.Contains($"`{layer}/`", document));
    }
}
