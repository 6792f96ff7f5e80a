using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

public sealed class IceCredentialsTests
{
    [Fact]
    public void Generated_credentials_must_be_valid_and_different()
    {
        var a = IceCredentials.Generate();
        var b = IceCredentials.Generate();
        Assert.Equal(8, a.Ufrag.Length);
        Assert.Equal(24, a.Password.Length);
        Assert.NotEqual(a, b);
        Assert.Equal(a, new IceCredentials(a.Ufrag, a.Password));
        Assert.DoesNotContain(a.Password, a.ToString());
    }

    [Theory]
    [InlineData("abc", "0123456789012345678901")]                 // ufrag too short
    [InlineData("ab:c", "0123456789012345678901")]                // ':' is not an ice-char
    [InlineData("abcd", "012345678901234567890")]                 // password too short
    [InlineData("abcd", "01234567890123456789012-")]              // '-' is not an ice-char
    public void Credentials_outside_RFC_8839_must_be_refused(string ufrag, string password) =>
        Assert.Throws<IceFormatException>(() => new IceCredentials(ufrag, password));

    [Fact]
    public void Libwebrtc_style_credentials_must_be_accepted()
    {
        var c = new IceCredentials("Mq6W", "pH0bQ3tOjmP+Yx1LQKtz5M/d");
        Assert.Equal("Mq6W", c.Ufrag);
    }
}
