using Xunit;
using System.Text;
using PxpActors.WebRtc.Sctp;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class Crc32cTests
{
    [Fact]
    public void Crc32c_must_match_the_standard_check_value()
    {
        // The catalogued check value of CRC-32C for "123456789" (RFC 3720 B.4 family of vectors).
        Assert.Equal(0xE3069283u, Crc32c.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xE3069283u, Crc32c.ComputeWithTables(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Crc32c_must_match_the_iSCSI_vectors()
    {
        // RFC 3720 B.4: 32 bytes of zeros, of 0xFF, and ascending 0..31.
        Assert.Equal(0x8A9136AAu, Crc32c.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32c.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32c.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Crc32c_hardware_and_table_paths_must_agree_at_every_length()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32c.ComputeWithTables(data), Crc32c.Compute(data));
            var split = length / 3;
            Assert.Equal(Crc32c.Compute(data), Crc32c.Compute(data.AsSpan(0, split), data.AsSpan(split)));
        }
    }
}
