namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// The tag of a cross-system link dialed for a simulated WebRTC connection: the offer it answers, the answering node, and
/// why the connection failed when it did (partitioned, failure rate), so the offering side fails at once as well.
/// </summary>
internal sealed record WebRtcLinkTag(string OfferId, string AnsweringNode, string? Failure)
{
    private const char Separator = '\n';

    public string Format() => Failure is null ? $"{OfferId}{Separator}{AnsweringNode}" : $"{OfferId}{Separator}{AnsweringNode}{Separator}{Failure}";

    public static WebRtcLinkTag Parse(string tag)
    {
        var parts = tag.Split(Separator, 3);
        return new WebRtcLinkTag(parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : null);
    }
}
