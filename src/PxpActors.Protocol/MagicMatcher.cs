namespace PxpActors.Protocol;

/// <summary>Checks the first <see cref="PxpMagic.Length"/> bytes a peer sends, however they are chunked.</summary>
public sealed class MagicMatcher
{
    private int _matched;

    /// <summary>True once all of the magic has arrived and matched.</summary>
    public bool IsComplete => _matched == PxpMagic.Length;

    /// <summary>
    /// Consumes magic bytes from the front of <paramref name="input"/> and returns how many it took.
    /// Throws <see cref="PxpProtocolException"/> at the first byte that differs.
    /// </summary>
    public int Consume(ReadOnlySpan<byte> input)
    {
        var taken = 0;
        while (!IsComplete && taken < input.Length)
        {
            if (input[taken] != PxpMagic.Bytes[_matched])
                throw new PxpProtocolException("Invalid magic value, peer not using PXP");
            _matched++;
            taken++;
        }
        return taken;
    }
}
