using System.Text;
using PxpActors.Actors;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// One corner of a hub/asker/candidate triangle, ours or the JS reference's, behind the few steps a getNewPeer test
/// takes: listen, connect to the hub, getNewPeer, the candidate's new connection, and text both ways over it.
/// </summary>
internal abstract class TriangleNode
{
    public static readonly TimeSpan Upgrade = TimeSpan.FromSeconds(60);

    public abstract string Kind { get; }

    /// <summary>Listens on loopback TCP; returns the port.</summary>
    public abstract Task<int> ListenAsync();

    public abstract Task ConnectToAsync(int port);

    public abstract Task WaitForPeerCountAsync(int count);

    public abstract Task<End> GetNewPeerAsync();

    public abstract Task<End> NextWebRtcConnectionAsync();

    /// <summary>One side of an application connection.</summary>
    public abstract class End
    {
        public abstract string Transport { get; }

        public abstract Task WriteTextAsync(string text);

        public abstract Task<string> ReadTextAsync(int bytes);
    }

    public sealed class Ours(OurNode node) : TriangleNode
    {
        public OurNode Node { get; } = node;

        public override string Kind => "ours";

        public override Task<int> ListenAsync() => Task.FromResult(Node.Port);

        public override Task ConnectToAsync(int port) => Node.Exchange.AddPeerAsync(Node.UriOf(port));

        public override Task WaitForPeerCountAsync(int count) => Node.WaitForPeerCountAsync(count);

        public override async Task<End> GetNewPeerAsync() => new OurEnd(await Node.Exchange.GetNewPeerAsync());

        public override async Task<End> NextWebRtcConnectionAsync() =>
            new OurEnd(await Node.NextConnectionAsync(c => c.Transport == "webrtc"));
    }

    public sealed class Js(JsExchange exchange) : TriangleNode
    {
        public JsExchange Exchange { get; } = exchange;

        public override string Kind => "js";

        public override Task<int> ListenAsync() => Exchange.ListenAsync();

        public override Task ConnectToAsync(int port) => Exchange.ConnectAsync(port);

        public override Task WaitForPeerCountAsync(int count) => Exchange.WaitForPeerCountAsync(count, Upgrade);

        public override async Task<End> GetNewPeerAsync() => await JsEnd.OverAsync(await Exchange.GetNewPeerAsync(Upgrade));

        public override async Task<End> NextWebRtcConnectionAsync() =>
            await JsEnd.OverAsync(await Exchange.WaitForConnectionOverAsync("webrtc", Upgrade));
    }

    private sealed class OurEnd(PxpConnection connection) : End
    {
        private readonly Stream _stream = connection.OpenStream();

        public override string Transport => connection.Transport;

        public override Task WriteTextAsync(string text) => _stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        public override async Task<string> ReadTextAsync(int bytes)
        {
            var buffer = new byte[bytes];
            using var timeout = new CancellationTokenSource(Upgrade);
            await _stream.ReadExactlyAsync(buffer, timeout.Token);
            return Encoding.UTF8.GetString(buffer);
        }
    }

    private sealed class JsEnd(JsConnection connection, string transport) : End
    {
        public static async Task<End> OverAsync(JsConnection connection) =>
            new JsEnd(connection, connection.Peer is { } peer ? await peer.TransportAsync() : "none");

        public override string Transport => transport;

        public override Task WriteTextAsync(string text) => connection.WriteTextAsync(text);

        public override Task<string> ReadTextAsync(int bytes) => connection.ReadTextAsync(bytes, Upgrade);
    }
}
