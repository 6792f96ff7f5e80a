using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

public sealed class IceServerUrlTests
{
    [Theory]
    [InlineData("stun:stun.l.google.com:19302", "stun.l.google.com", 19302)]
    [InlineData("stun:example.org", "example.org", 3478)]
    [InlineData("STUN:10.0.0.1:3479", "10.0.0.1", 3479)]
    [InlineData("stun:[2001:db8::1]:5000", "2001:db8::1", 5000)]
    [InlineData("stun:[2001:db8::1]", "2001:db8::1", 3478)]
    [InlineData("stun:example.org:3478?transport=udp", "example.org", 3478)]
    public void Parse_must_read_host_and_port(string url, string host, int port) =>
        Assert.Equal(new IceServerUrl(host, port), IceServerUrl.Parse(url));

    [Theory]
    [InlineData("turn:example.org")]
    [InlineData("stun:")]
    [InlineData("stun:example.org:0")]
    [InlineData("stun:example.org:70000")]
    [InlineData("stun:example.org:x")]
    [InlineData("stun:[2001:db8::1")]
    [InlineData("example.org:3478")]
    public void Parse_must_refuse_bad_urls(string url) =>
        Assert.Throws<ArgumentException>(() => IceServerUrl.Parse(url));
}
