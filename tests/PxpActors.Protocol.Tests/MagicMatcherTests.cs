namespace PxpActors.Protocol.Tests;

public sealed class MagicMatcherTests
{
    [Fact]
    public void MagicMatcher_must_accept_the_magic_in_one_piece_and_leave_what_follows()
    {
        var matcher = new MagicMatcher();

        var taken = matcher.Consume("#PXP#\x00\x03pxp"u8);

        Assert.Equal(5, taken);
        Assert.True(matcher.IsComplete);
    }

    [Fact]
    public void MagicMatcher_must_accept_the_magic_split_at_every_point()
    {
        var magic = "#PXP#"u8.ToArray();
        for (var at = 0; at <= magic.Length; at++)
        {
            var matcher = new MagicMatcher();
            Assert.Equal(at, matcher.Consume(magic.AsSpan(0, at)));
            Assert.Equal(at == 5, matcher.IsComplete);
            Assert.Equal(5 - at, matcher.Consume([.. magic[at..], 0x00, 0x03]));
            Assert.True(matcher.IsComplete);
        }
    }

    [Fact]
    public void MagicMatcher_must_take_nothing_once_complete()
    {
        var matcher = new MagicMatcher();
        matcher.Consume("#PXP#"u8);

        Assert.Equal(0, matcher.Consume("#PXP#"u8));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("#PXQ#")]
    [InlineData("#pxp#")]
    [InlineData("x")]
    public void MagicMatcher_must_reject_anything_else_at_the_first_differing_byte(string input)
    {
        var matcher = new MagicMatcher();

        var error = Assert.Throws<PxpProtocolException>(() => matcher.Consume(System.Text.Encoding.ASCII.GetBytes(input)));

        Assert.Equal("Invalid magic value, peer not using PXP", error.Message);
    }

    [Fact]
    public void MagicMatcher_must_reject_a_bad_byte_arriving_in_a_later_chunk()
    {
        var matcher = new MagicMatcher();
        matcher.Consume("#P"u8);

        Assert.Throws<PxpProtocolException>(() => matcher.Consume("Y"u8));
    }
}
