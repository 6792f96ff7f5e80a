using PxpActors.Protocol.Rpc;

namespace PxpActors.Protocol.Tests.Rpc;

public sealed class NonceTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(9L, "9")]
    [InlineData(10L, "a")]
    [InlineData(35L, "z")]
    [InlineData(36L, "10")]
    [InlineData(1295L, "zz")]
    [InlineData(1296L, "100")]
    [InlineData(long.MaxValue, "1y2p0ij32e8e7")] // (2n ** 63n - 1n).toString(36) in node
    public void Nonce_must_be_the_counter_in_lowercase_base36(long counter, string expected) =>
        Assert.Equal(expected, Nonce.Format(counter));

    [Fact]
    public void Nonce_must_match_a_positional_reading_of_its_digits()
    {
        for (long counter = 0; counter < 50_000; counter += 7)
        {
            var text = Nonce.Format(counter);
            Assert.Equal(counter, text.Aggregate(0L, (n, c) => n * 36 + (c <= '9' ? c - '0' : c - 'a' + 10)));
            Assert.True(text.Length == 1 || text[0] != '0', "no leading zeros");
        }
    }

    [Fact]
    public void Nonce_must_refuse_a_negative_counter() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Nonce.Format(-1));
}
