using System.Text.RegularExpressions;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Architecture;

/// <summary>
/// The session layer's folders only look down (docs/ARCHITECTURE.md, "Rules"): no file names a namespace of a layer
/// above its own, in a using, a qualified name or a doc reference.
/// </summary>
public sealed partial class SessionLayersSpec
{
    // Bottom to top; Diagnostics and Resources are counters every layer may use, and use none.
    private static readonly string[] Layers = ["Buffers", "Transports", "Carriers", "Multiplexing", "Relays", "Actors"];

    [GeneratedRegex(@"\bPxpActors\.(\w+)|(?<![\w.])(Buffers|Transports|Carriers|Multiplexing|Relays|Actors)\.[A-Z]")]
    private static partial Regex NamespaceReference();

    public static TheoryData<string> LayerFolders() => new(Layers[..^1].Append("Diagnostics").Append("Resources"));

    [Theory]
    [MemberData(nameof(LayerFolders))]
    public void A_session_layer_must_name_no_layer_above_it(string folder)
    {
        var own = Array.IndexOf(Layers, folder); // -1: a support folder, which may name no layer at all
        var files = Directory.GetFiles(RepositoryFiles.PathOf(Path.Combine("src", "PxpActors", folder)), "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var crossings = (
            from file in files
            from line in File.ReadLines(file).Select((text, index) => (text, number: index + 1))
            from Match match in NamespaceReference().Matches(line.text)
            let named = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value
            let layer = Array.IndexOf(Layers, named)
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
