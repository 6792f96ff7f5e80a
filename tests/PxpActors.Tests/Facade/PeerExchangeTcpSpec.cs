using System.Text;
using Akka.Actor;
using PxpActors.Actors;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Facade;

public sealed class PeerExchangeTcpSpec : IAsyncLifetime
{
    private readonly PeerExchange _server = new("test");
    private readonly PeerExchange _client = new("test");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.CloseAsync();
        await _server.CloseAsync();
    }

    [Fact]
    public async Task Two_nodes_must_exchange_application_data_over_tcp_both_ways()
    {
        var accepted = new TaskCompletionSource<PxpConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Connected += c => accepted.TrySetResult(c);
        var address = await _server.ListenAsync(new Uri("tcp://127.0.0.1:0"));

        var outgoing = await _client.ConnectAsync(address);
        var incoming = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(3));

        await using var clientStream = outgoing.OpenStream();
        await using var serverStream = incoming.OpenStream();
        await clientStream.WriteAsync(Encoding.UTF8.GetBytes("ping"));
        Assert.Equal("ping", await ReadText(serverStream, 4));
        await serverStream.WriteAsync(Encoding.UTF8.GetBytes("pong!"));
        Assert.Equal("pong!", await ReadText(clientStream, 5));

        Assert.Single(_client.Peers);
        Assert.False(_client.Peers[0].Incoming);
        Assert.True(_client.Peers[0].AcceptsIncoming);
    }

    [Fact]
    public async Task A_session_over_tcp_must_send_application_data_straight_onto_the_socket()
    {
        var accepted = new TaskCompletionSource<PxpConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Connected += c => accepted.TrySetResult(c);
        var address = await _server.ListenAsync(new Uri("tcp://127.0.0.1:0"));
        var outgoing = (await _client.ConnectAsync(address)).ClaimChannel().Writer;
        await using var serverStream = (await accepted.Task.WaitAsync(TimeSpan.FromSeconds(3))).OpenStream();

        // The session's graph, run from its blueprint, shares the socket's sender with the multiplexer: once the stage has
        // sent what it queued, the application stream's frames bypass it.
        await outgoing.WriteAsync("one"u8.ToArray().AsMemory());
        Assert.Equal("one", await ReadText(serverStream, 3));
        await Condition.UntilAsync(() => outgoing.SendsDirectly, "The application stream never started sending directly",
            TimeSpan.FromSeconds(3));
        await outgoing.WriteAsync("two"u8.ToArray().AsMemory());
        Assert.Equal("two", await ReadText(serverStream, 3));
    }

    [Fact]
    public async Task Session_actors_must_run_on_the_session_dispatcher_with_the_session_mailbox()
    {
        var address = await _server.ListenAsync(new Uri("tcp://127.0.0.1:0"));
        await _client.ConnectAsync(address);

        // The client's only session: a child of its exchange actor.
        var session = await new ActorSelection(_client.Actor, "peer-1").ResolveOne(TimeSpan.FromSeconds(3));
        var cell = Assert.IsType<ActorCell>(Assert.IsAssignableFrom<ActorRefWithCell>(session).Underlying);
        Assert.Equal("pxp.session-dispatcher", cell.Dispatcher.Id);
        Assert.IsType<SessionMailbox.MessageQueue>(cell.Mailbox!.MessageQueue);
    }

    private static async Task<string> ReadText(Stream stream, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(3));
            if (n == 0) throw new EndOfStreamException();
            read += n;
        }
        return Encoding.UTF8.GetString(buffer);
    }
}
