using System.Net;
using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

public sealed class IceCandidateTests
{
    // Lines as libwebrtc, Chromium (mDNS) and Firefox emit them.
    [Theory]
    [InlineData("candidate:1467250027 1 udp 2122260223 192.168.0.196 46243 typ host generation 0 ufrag Mq6W network-id 1")]
    [InlineData("candidate:842163049 1 udp 1677729535 1.2.3.4 58481 typ srflx raddr 192.168.0.196 rport 46243 generation 0 ufrag Mq6W network-id 1 network-cost 10")]
    [InlineData("candidate:3567389528 1 tcp 1518280447 192.168.0.196 9 typ host tcptype active generation 0 network-id 1")]
    [InlineData("candidate:2230510330 1 udp 2113937151 c6b6e1a2-7d15-4f5e-9a8e-1d7f0b8e0c57.local 54400 typ host generation 0 ufrag 6Uxt network-cost 999")]
    [InlineData("candidate:0 1 UDP 2122252543 192.168.1.5 56010 typ host")]
    [InlineData("candidate:2999745851 1 udp 2122262783 2001:db8::1 50000 typ host generation 0")]
    [InlineData("candidate:a+b/C 2 udp 7 10.0.0.1 0 typ relay raddr 0.0.0.0 rport 0")]
    [InlineData("candidate:prflx1 1 udp 1845501695 203.0.113.9 40000 typ prflx raddr 10.0.0.2 rport 5000")]
    public void Candidate_line_must_round_trip_exactly(string line)
    {
        var candidate = IceCandidate.Parse(line);
        Assert.Equal(line, candidate.ToString());
        Assert.Equal(line, IceCandidate.Parse("a=" + line).ToString());
    }

    [Fact]
    public void Parse_must_read_every_field()
    {
        var c = IceCandidate.Parse("candidate:842163049 1 udp 1677729535 1.2.3.4 58481 typ srflx raddr 192.168.0.196 rport 46243 generation 0 ufrag Mq6W");
        Assert.Equal("842163049", c.Foundation);
        Assert.Equal(1, c.Component);
        Assert.True(c.IsUdp);
        Assert.Equal(1677729535u, c.Priority);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("1.2.3.4"), 58481), c.EndPoint);
        Assert.Equal(IceCandidateType.ServerReflexive, c.Type);
        Assert.Equal("192.168.0.196", c.RelatedAddress);
        Assert.Equal(46243, c.RelatedPort);
        Assert.Equal("Mq6W", c.Extension("ufrag"));
        Assert.Equal("0", c.Extension("generation"));
        Assert.False(c.IsMdnsName);
    }

    [Fact]
    public void Parse_must_accept_the_bare_form_without_prefix()
    {
        var c = IceCandidate.Parse("1 1 udp 2122260223 10.0.0.1 1234 typ host");
        Assert.Equal("candidate:1 1 udp 2122260223 10.0.0.1 1234 typ host", c.ToString());
    }

    [Fact]
    public void MDNS_candidates_must_have_no_endpoint_until_resolved()
    {
        var c = IceCandidate.Parse("candidate:1 1 udp 2113937151 c6b6e1a2-7d15-4f5e-9a8e-1d7f0b8e0c57.local 54400 typ host");
        Assert.True(c.IsMdnsName);
        Assert.Null(c.EndPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("candidate:")]
    [InlineData("candidate:1 1 udp 2122260223 10.0.0.1 1234 host")]              // no "typ"
    [InlineData("candidate:1 1 udp 2122260223 10.0.0.1 1234 typ")]               // no type
    [InlineData("candidate:1 1 udp 2122260223 10.0.0.1 1234 typ bogus")]
    [InlineData("candidate:1 0 udp 2122260223 10.0.0.1 1234 typ host")]          // component 0
    [InlineData("candidate:1 257 udp 2122260223 10.0.0.1 1234 typ host")]
    [InlineData("candidate:1 1 udp 0 10.0.0.1 1234 typ host")]                   // priority 0
    [InlineData("candidate:1 1 udp 4294967296 10.0.0.1 1234 typ host")]          // priority > 32 bits
    [InlineData("candidate:1 1 udp -5 10.0.0.1 1234 typ host")]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 65536 typ host")]                  // port
    [InlineData("candidate:1 1 udp 1 10.0.0.1 12a4 typ host")]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1234 typ host raddr")]             // extension without value
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1234 typ srflx raddr 1.2.3.4 rport x")]
    [InlineData("candidate:foo_bar 1 udp 1 10.0.0.1 1234 typ host")]             // '_' is not an ice-char
    [InlineData("candidate:123456789012345678901234567890123 1 udp 1 10.0.0.1 1234 typ host")] // 33-char foundation
    [InlineData("candidate:1 1 udp 1 10.0.0.1;rm 1234 typ host")]
    public void Parse_must_refuse_malformed_lines(string line)
    {
        Assert.Throws<IceFormatException>(() => IceCandidate.Parse(line));
        Assert.False(IceCandidate.TryParse(line, out _));
    }

    [Fact]
    public void Parse_must_bound_line_length_and_extensions()
    {
        var many = "candidate:1 1 udp 1 10.0.0.1 1234 typ host" + string.Concat(Enumerable.Range(0, IceCandidate.MaxExtensions + 1).Select(i => $" k{i} v"));
        Assert.Throws<IceFormatException>(() => IceCandidate.Parse(many));
        Assert.Throws<IceFormatException>(() => IceCandidate.Parse("candidate:1 1 udp 1 10.0.0.1 1234 typ host x " + new string('y', 1100)));
    }

    [Fact]
    public void For_must_format_ipv6_without_scope_and_mapped_ipv4_plainly()
    {
        var scoped = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 9);
        Assert.Equal("fe80::1", IceCandidate.For(scoped, IceCandidateType.Host, 1, "f").Address);
        var mapped = new IPEndPoint(IPAddress.Parse("10.0.0.1").MapToIPv6(), 9);
        Assert.Equal("10.0.0.1", IceCandidate.For(mapped, IceCandidateType.Host, 1, "f").Address);
    }
}
