namespace PxpActors.TestSupport.Fuzzing;

/// <summary>
/// Damages well-formed inputs the way a hostile or broken peer would: flipped bits, boundary values,
/// bytes inserted or deleted, truncation, repeated runs and pieces of another input spliced in.
/// </summary>
public static class Mutations
{
    private static readonly byte[] Boundaries = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>One to four mutations of <paramref name="input"/>; the input itself is not changed.</summary>
    public static byte[] Mutate(ReadOnlySpan<byte> input, Random random, ReadOnlySpan<byte> donor = default)
    {
        var bytes = new List<byte>(input.ToArray());
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds; i++) MutateOnce(bytes, random, donor);
        return bytes.ToArray();
    }

    /// <summary>Random bytes of a random length up to <paramref name="maxLength"/>.</summary>
    public static byte[] Noise(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void MutateOnce(List<byte> bytes, Random random, ReadOnlySpan<byte> donor)
    {
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = Boundaries[random.Next(Boundaries.Length)];
                break;
            case 2:
                bytes.Insert(at, (byte)random.Next(256));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(at, 1 + random.Next(Math.Min(8, bytes.Count - at)));
                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveRange(at, bytes.Count - at); // truncated
                break;
            case 5 when bytes.Count > 0:
                var length = 1 + random.Next(Math.Min(16, bytes.Count - at));
                var run = bytes.GetRange(at, length);
                for (var repeat = random.Next(1, 8); repeat > 0; repeat--) bytes.InsertRange(at, run);
                break;
            case 6 when donor.Length > 0:
                var from = random.Next(donor.Length);
                var piece = donor.Slice(from, 1 + random.Next(Math.Min(32, donor.Length - from)));
                bytes.InsertRange(at, piece.ToArray());
                break;
            default:
                if (bytes.Count >= 2) // a length or count field set to a boundary: big-endian and little-endian alike
                {
                    var index = random.Next(bytes.Count - 1);
                    bytes[index] = Boundaries[random.Next(Boundaries.Length)];
                    bytes[index + 1] = Boundaries[random.Next(Boundaries.Length)];
                }
                break;
        }
    }
}
