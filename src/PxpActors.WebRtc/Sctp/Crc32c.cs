using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the SCTP checksum of RFC 9260 appendix A.
/// Slicing-by-8 tables, with the SSE4.2 instruction when the CPU has it (both give the same result).
/// </summary>
public static class Crc32c
{
    private const uint ReflectedPolynomial = 0x82F63B78;
    private static readonly uint[] Tables = BuildTables();

    /// <summary>The finished CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data, allowHardware: true);

    /// <summary>The CRC-32C of two spans as if concatenated (the packet header with its checksum zeroed, then the rest).</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        ~Update(Update(0xFFFFFFFF, first, allowHardware: true), second, allowHardware: true);

    /// <summary>The table-only computation, exposed so tests can check it against the hardware path.</summary>
    internal static uint ComputeWithTables(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data, allowHardware: false);

    private static uint Update(uint crc, ReadOnlySpan<byte> data, bool allowHardware)
    {
        if (allowHardware && Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            crc = (uint)wide;
            foreach (var b in data)
                crc = Sse42.Crc32(crc, b);
            return crc;
        }

        var t = Tables;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7 * 256 + (low & 0xFF)] ^ t[6 * 256 + ((low >> 8) & 0xFF)]
                ^ t[5 * 256 + ((low >> 16) & 0xFF)] ^ t[4 * 256 + (low >> 24)]
                ^ t[3 * 256 + (high & 0xFF)] ^ t[2 * 256 + ((high >> 8) & 0xFF)]
                ^ t[1 * 256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }
        foreach (var b in data)
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            tables[i] = crc;
        }
        // Table k advances a byte that sits k positions before the end of an 8-byte block.
        for (var k = 1; k < 8; k++)
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[(k - 1) * 256 + i];
                tables[k * 256 + i] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        return tables;
    }
}
