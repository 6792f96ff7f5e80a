using System.Net;
using System.Net.Sockets;
using PxpActors.WebRtc.Ice.Mdns;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice.Mdns;

public sealed class MdnsTests
{
    private const string Name = "c6b6e1a2-7d15-4f5e-9a8e-1d7f0b8e0c57.local";

    private static byte[] Response(byte[] query, params (ushort Type, byte[] Data)[] answers) => MdnsResponses.Answer(query, answers);

    [Fact]
    public void Query_must_ask_for_A_and_AAAA_with_the_unicast_bit()
    {
        var query = MdnsMessage.Query(0x1234, "host.local");
        Assert.Equal(new byte[] { 0x12, 0x34, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0 }, query[..12]);
        var question = new byte[] { 4, (byte)'h', (byte)'o', (byte)'s', (byte)'t', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0 };
        Assert.Equal([.. question, 0, 1, 0x80, 1, .. question, 0, 28, 0x80, 1], query[12..]);
    }

    [Fact]
    public void Response_addresses_must_be_read_through_name_compression()
    {
        var query = MdnsMessage.Query(7, Name);
        var response = Response(query,
            (MdnsMessage.TypeA, [192, 168, 1, 23]),
            (MdnsMessage.TypeAaaa, IPAddress.Parse("fd00::17").GetAddressBytes()),
            (16, [3, (byte)'t', (byte)'x', (byte)'t'])); // TXT: ignored

        Assert.Equal([IPAddress.Parse("192.168.1.23"), IPAddress.Parse("fd00::17")], MdnsMessage.Addresses(response, 7, Name));
        Assert.Equal([IPAddress.Parse("192.168.1.23"), IPAddress.Parse("fd00::17")], MdnsMessage.Addresses(response, 7, Name.ToUpperInvariant()));
        Assert.Empty(MdnsMessage.Addresses(response, 7, "other.local"));
        Assert.Empty(MdnsMessage.Addresses(query, 7, Name)); // a query is not a response
    }

    [Fact]
    public void Malformed_responses_must_yield_nothing_rather_than_throw()
    {
        var query = MdnsMessage.Query(7, Name);
        var good = Response(query, (MdnsMessage.TypeA, [10, 0, 0, 1]));
        for (var cut = 0; cut < good.Length; cut++) Assert.Empty(MdnsMessage.Addresses(good[..cut], 7, Name));

        var loop = (byte[])good.Clone();
        loop[12] = 0xC0;
        loop[13] = 12; // the question name points at itself
        Assert.Empty(MdnsMessage.Addresses(loop, 7, Name)); // the rest of the damage a peer can do: MdnsFuzzTests
    }

    [Fact]
    public void Query_must_refuse_names_that_are_not_DNS_names()
    {
        Assert.Throws<ArgumentException>(() => MdnsMessage.Query(1, "a..local"));
        Assert.Throws<ArgumentException>(() => MdnsMessage.Query(1, new string('a', 64) + ".local"));
    }

    [Fact]
    public async Task Resolver_must_return_the_address_a_responder_answers_with()
    {
        await using var responder = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var serving = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            var query = await responder.ReceiveFromAsync(buffer);
            var response = Response(buffer[..query.Length], (MdnsMessage.TypeA, [10, 1, 2, 3]));
            await responder.SendToAsync(response, query.RemoteEndPoint);
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var addresses = await MdnsResolver.QueryAsync(Name, responder.LocalEndPoint, timeout.Token);
        Assert.Equal([IPAddress.Parse("10.1.2.3")], addresses);
        await serving;
    }

    [Fact]
    public void Response_with_another_ID_than_the_query_must_yield_nothing()
    {
        var query = MdnsMessage.Query(7, Name);
        var response = Response(query, (MdnsMessage.TypeA, [10, 0, 0, 1]));

        Assert.Equal([IPAddress.Parse("10.0.0.1")], MdnsMessage.Addresses(response, 7, Name));
        Assert.Empty(MdnsMessage.Addresses(response, 8, Name));
    }

    [Theory]
    [InlineData("127.0.0.1:5353", true)]
    [InlineData("[fe80::1]:5353", true)]
    [InlineData("127.0.0.1:5354", false)] // RFC 6762 §6: responses come from port 5353
    [InlineData("203.0.113.9:5353", false)] // not on our link
    [InlineData("[2001:db8::1]:5353", false)]
    public void Answers_to_a_group_query_must_come_from_port_5353_on_our_link(string from, bool accepted)
    {
        Assert.Equal(accepted, MdnsResolver.IsAnswerSource(IPEndPoint.Parse(from), MdnsResolver.Group));
    }

    [Fact]
    public async Task Resolver_must_ignore_an_answer_from_anyone_but_the_responder_it_asked()
    {
        await using var responder = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var spoofer = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var serving = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            var query = await responder.ReceiveFromAsync(buffer);
            // The spoofer knows the query's ID and port, and answers first.
            await spoofer.SendToAsync(Response(buffer[..query.Length], (MdnsMessage.TypeA, [6, 6, 6, 6])), query.RemoteEndPoint);
            await responder.SendToAsync(Response(buffer[..query.Length], (MdnsMessage.TypeA, [10, 1, 2, 3])), query.RemoteEndPoint);
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var addresses = await MdnsResolver.QueryAsync(Name, responder.LocalEndPoint, timeout.Token);
        Assert.Equal([IPAddress.Parse("10.1.2.3")], addresses);
        await serving;
    }

    [Fact]
    public async Task Resolver_must_take_an_answer_the_responder_sends_to_the_group_with_ID_0()
    {
        // Chromium answers a query by multicast to the group, with ID 0 and no question: here "the group" is a loopback
        // socket the resolver listens on, and the responder sends its answer there instead of to the asker.
        await using var responder = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var group = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        group.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var groupEndPoint = (IPEndPoint)group.LocalEndPoint!;
        var serving = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            var query = await responder.ReceiveFromAsync(buffer);
            var answer = Response(buffer[..query.Length], (MdnsMessage.TypeA, [10, 9, 8, 7]));
            answer[0] = answer[1] = 0;
            await responder.SendToAsync(answer, groupEndPoint);
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var addresses = await MdnsResolver.QueryAsync(Name, responder.LocalEndPoint, group, timeout.Token);
        Assert.Equal([IPAddress.Parse("10.9.8.7")], addresses);
        await serving;
        Assert.Throws<ObjectDisposedException>(() => group.Available); // the resolver closed the group socket it was given
    }

    [Fact]
    public void A_group_answer_must_carry_our_ID_or_0()
    {
        var response = Response(MdnsMessage.Query(7, Name), (MdnsMessage.TypeA, [10, 0, 0, 1]));
        Assert.Equal([IPAddress.Parse("10.0.0.1")], MdnsMessage.GroupAnswerAddresses(response, 7, Name));
        Assert.Empty(MdnsMessage.GroupAnswerAddresses(response, 8, Name));
        response[0] = response[1] = 0;
        Assert.Equal([IPAddress.Parse("10.0.0.1")], MdnsMessage.GroupAnswerAddresses(response, 8, Name));
        Assert.Empty(MdnsMessage.Addresses(response, 8, Name)); // at our own port, only our ID counts
    }

    [Fact]
    public async Task Resolver_must_give_up_when_cancelled()
    {
        await using var silent = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MdnsResolver.QueryAsync(Name, silent.LocalEndPoint, timeout.Token));
    }

    [Fact]
    public async Task Names_outside_local_must_go_to_DNS()
    {
        var addresses = await MdnsResolver.ResolveAsync("localhost", CancellationToken.None);
        Assert.Contains(addresses, IPAddress.IsLoopback);
    }
}
