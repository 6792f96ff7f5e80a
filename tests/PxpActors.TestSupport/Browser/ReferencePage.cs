namespace PxpActors.TestSupport.Browser;

/// <summary>
/// The test page: the reference's browser bundle (window.PxpBrowser) as one exchange, driven through
/// <c>window.pxp</c> (connect over ws, getNewPeer (also timed in the page), send text, close a peer, count the bytes of
/// a connection instead of reporting them, queue bytes to send) and reporting every event through
/// <c>window.pxpReport</c>: ready, peer, disconnect, connect (an application connection, with an id), data (its
/// text), close, error, peerError. No STUN server: host candidates only, the network stays on this machine.
/// </summary>
public static class ReferencePage
{
    /// <summary>Where the site serves the bundle.</summary>
    public const string BundlePath = "/pxp-browser.js";

    /// <summary>Builds the bundle (once per test run) and serves this page at "/" with the bundle beside it.</summary>
    public static async Task<StaticSite> ServeAsync()
    {
        var bundle = await BrowserBundle.EnsureBuiltAsync();
        return new StaticSite(new Dictionary<string, (string, byte[])>
        {
            ["/"] = StaticSite.Text("text/html", Html),
            [BundlePath] = ("text/javascript; charset=utf-8", await File.ReadAllBytesAsync(bundle)),
        });
    }

    /// <summary>The page's HTML; <c>?network=ID</c> names the network (default "test").</summary>
    public const string Html = """
        <!doctype html>
        <meta charset="utf-8">
        <title>pxp reference in the browser</title>
        <script src="/pxp-browser.js"></script>
        <script>
        'use strict'
        const { Exchange, websocket, Buffer } = window.PxpBrowser
        const report = (event, fields) => window.pxpReport(JSON.stringify(Object.assign({ event, at: Math.round(performance.now()) }, fields || {})))
        const network = new URLSearchParams(location.search).get('network') || 'test'
        const exchange = new Exchange(network, { rtcConfig: { iceServers: [] } })
        const connections = new Map()
        const ids = new WeakMap()
        let nextId = 1
        const message = (err) => String((err && err.message) || err)
        function transportOf (peer) {
          const socket = peer && peer.socket
          if (socket && socket._pc) return 'webrtc'
          if (peer && peer.relayed) return 'relay'
          if (socket && socket.socket) return 'ws'
          return 'stream'
        }
        const peersOf = new Map()
        const counted = new Map() // connections whose data is counted, not reported (throughput)
        const countWaiters = new Map()
        function track (stream, peer) {
          if (ids.has(stream)) return ids.get(stream)
          const id = nextId++
          ids.set(stream, id)
          connections.set(id, stream)
          peersOf.set(id, peer || stream.pxpPeer)
          report('connect', { conn: id, transport: transportOf(peer || stream.pxpPeer), incoming: !!(peer && peer.incoming) })
          stream.on('data', (data) => {
            if (!counted.has(id)) return report('data', { conn: id, text: data.toString('utf8') })
            counted.set(id, counted.get(id) + data.length)
            const waiter = countWaiters.get(id)
            if (waiter && counted.get(id) >= waiter.target) { countWaiters.delete(id); waiter.resolve(counted.get(id)) }
          })
          stream.on('error', (err) => report('connectionError', { conn: id, message: message(err) }))
          stream.on('close', () => report('close', { conn: id }))
          return id
        }
        // Queues total bytes in size-byte chunks at once (the reference's streams take them all: no back-pressure reaches
        // a writer), for a receiver to time their arrival.
        function pump (id, total, size) {
          const stream = connections.get(id)
          const chunk = Buffer.alloc(size, 120)
          for (let written = 0; written < total; written += size) stream.write(chunk)
          return total
        }
        const transports = new WeakMap() // a closed peer's socket no longer tells its transport
        exchange.on('peer', (peer) => {
          transports.set(peer, transportOf(peer))
          report('peer', { transport: transports.get(peer), incoming: !!peer.incoming, relayed: !!peer.relayed, peers: exchange.peers.length })
        })
        exchange.on('disconnect', (peer) => report('disconnect', { transport: transports.get(peer) || transportOf(peer), peers: exchange.peers.length }))
        exchange.on('connect', (stream, peer) => track(stream, peer))
        exchange.on('error', (err) => report('error', { message: message(err) }))
        exchange.on('peerError', (err) => report('peerError', { message: message(err) }))
        window.pxp = {
          connect: (url) => new Promise((resolve, reject) =>
            exchange.connect(websocket(url), (err, conn) => err ? reject(err) : resolve(track(conn, conn.pxpPeer)))),
          getNewPeer: () => new Promise((resolve, reject) =>
            exchange.getNewPeer((err, conn) => err ? reject(err) : resolve(track(conn, conn.pxpPeer)))),
          send: (id, text) => { connections.get(id).write(Buffer.from(text, 'utf8')); return true },
          peers: () => exchange.peers.map((peer) => ({ transport: transportOf(peer), incoming: !!peer.incoming, relayed: !!peer.relayed })),
          close: () => { exchange.close(); return true },
          timedGetNewPeer: () => {
            const start = performance.now()
            return window.pxp.getNewPeer().then((conn) => ({ conn, ms: performance.now() - start }))
          },
          closePeerOf: (id) => { peersOf.get(id).close(); return true },
          count: (id) => { if (!counted.has(id)) counted.set(id, 0); return counted.get(id) },
          countUntil: (id, target) => counted.get(id) >= target
            ? Promise.resolve(counted.get(id))
            : new Promise((resolve) => countWaiters.set(id, { target, resolve })),
          pump

        }
        report('ready')
        </script>
        """;
}
