'use strict'
// The reference over websocket-stream (the transport its README serves browsers with), measured inside one node
// process the way the C# bench measures ours over ws://: application-stream throughput (the connection ex.connect
// hands back, 64 KiB writes, time-boxed runs) and handshake latency (from opening the WebSocket to ex.connect's
// callback). Both nodes are the reference, on loopback.
//
// usage: node websocket.js <runs> <runMs> <warmupMs> <handshakeSamples> <handshakeWarmup> <limitSeconds>
//        (NODE_PATH must reach peer-exchange and websocket-stream)
// stdout: one JSON object: {"mbPerSecond":[...],"handshakeMs":[...]} (10^6 bytes per second, warm-ups left out)
// The whole script exits with an error after <limitSeconds>, whatever it is waiting for.

const http = require('http')
const websocket = require('websocket-stream')
const Swarm = require('peer-exchange')

const runs = parseInt(process.argv[2] || '20', 10)
const runMs = parseFloat(process.argv[3] || '500')
const warmupMs = parseFloat(process.argv[4] || '500')
const handshakeSamples = parseInt(process.argv[5] || '200', 10)
const handshakeWarmup = parseInt(process.argv[6] || '20', 10)
const limitSeconds = parseFloat(process.argv[7] || '120')
const WRITE_SIZE = 64 * 1024

setTimeout(() => {
  process.stderr.write(`websocket.js: not done within ${limitSeconds} s\n`)
  process.exit(2)
}, limitSeconds * 1000).unref()

// The swarm insists on a WebRTC implementation; no upgrade happens here, so a placeholder will do.
const noWrtc = {}
const server = new Swarm('bench', { wrtc: noWrtc })
const client = new Swarm('bench', { wrtc: noWrtc })
server.on('error', () => {})
client.on('error', () => {})

const httpServer = http.createServer()
let onAccepted = null
websocket.createServer({ server: httpServer }, (stream) => {
  stream.on('error', () => {})
  server.accept(stream, (err, conn) => {
    if (err) return fail(err)
    if (onAccepted) onAccepted(conn)
  })
})

function fail (err) {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
}

// Opens a WebSocket and connects over it; resolves with {ms, conn, accepted} once both ends have their connection.
function handshakeOnce () {
  return new Promise((resolve, reject) => {
    let accepted = null
    let connected = null
    let ms = 0
    const settle = () => { if (accepted && connected) resolve({ ms, conn: connected, accepted }) }
    onAccepted = (conn) => { accepted = conn; settle() }
    const start = process.hrtime.bigint()
    const stream = websocket(`ws://127.0.0.1:${httpServer.address().port}/pxp`)
    stream.once('error', reject)
    stream.once('connect', () => {
      client.connect(stream, (err, conn) => {
        if (err) return reject(err)
        ms = Number(process.hrtime.bigint() - start) / 1e6
        connected = conn
        settle()
      })
    })
  })
}

// Writes 64 KiB chunks from `writer` for `ms`, keeping at most WINDOW bytes unread (the reference's streams hardly push
// back, and a writer that never waits would only fill memory); resolves with 10^6 bytes/s read by `reader`, once
// everything written has been read (so no run counts what the one before left in flight).
const WINDOW = 4 * 1024 * 1024
function transfer (writer, reader, ms) {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(WRITE_SIZE, 7)
    let received = 0
    let sent = 0
    let writing = true
    let waitingForDrain = false
    let rate = null
    const pump = () => {
      if (waitingForDrain) return
      while (writing && sent - received < WINDOW) {
        sent += chunk.length
        if (!writer.write(chunk)) {
          waitingForDrain = true
          writer.once('drain', () => { waitingForDrain = false; pump() })
          return
        }
      }
    }
    const finishIfRead = () => {
      if (rate === null || received < sent) return
      reader.removeListener('data', onData)
      resolve(rate)
    }
    const onData = (data) => { received += data.length; pump(); finishIfRead() }
    reader.on('data', onData)
    const start = process.hrtime.bigint()
    pump()
    setTimeout(() => {
      writing = false
      rate = received / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6
      finishIfRead()
    }, ms)
  })
}

async function main () {
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const open = []
  for (let i = 0; i < handshakeWarmup; i++) open.push(await handshakeOnce())
  const handshakeMs = []
  for (let i = 0; i < handshakeSamples; i++) {
    const h = await handshakeOnce()
    handshakeMs.push(h.ms)
    open.push(h)
  }
  for (const h of open.slice(1)) { h.conn.destroy(); h.accepted.destroy() }
  // One connection carries every run, as in the C# bench.
  const { conn, accepted } = open[0]
  accepted.resume()
  await transfer(conn, accepted, warmupMs)
  const mbPerSecond = []
  for (let i = 0; i < runs; i++) mbPerSecond.push(await transfer(conn, accepted, runMs))
  process.stdout.write(JSON.stringify({ mbPerSecond, handshakeMs }) + '\n')
  process.exit(0)
}

main().catch(fail)
