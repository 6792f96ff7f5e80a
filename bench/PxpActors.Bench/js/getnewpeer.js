'use strict'
// The reference's getNewPeer, measured inside one node process the way the C# bench measures ours: a hub and two
// swarms on loopback TCP (TCP_NODELAY on every socket; the reference's default Nagle costs ~325 ms per getNewPeer),
// WebRTC from @roamhq/wrtc. Each sample times a.getNewPeer() to its callback (the new application connection) and then
// closes the new peer, so every sample upgrades afresh. Then one more getNewPeer and a time-boxed one-way transfer over
// its connection: 64 KiB writes for `transferMs`, the last block ending with a 1 (as the C# bench's TimeBoxedTransfer).
// usage: node getnewpeer.js <samples> <warmup> <transferMs>   (NODE_PATH must reach peer-exchange and @roamhq/wrtc)
// stdout: {"samplesMs":[...],"cpuMsPerGetNewPeer":N,"bytesPerSecond":N,"stalled":N}

const net = require('net')
const Swarm = require('peer-exchange')
const wrtc = require('@roamhq/wrtc')

const samples = parseInt(process.argv[2] || '30', 10)
const warmup = parseInt(process.argv[3] || '5', 10)
const transferMs = parseInt(process.argv[4] || '500', 10)
const BLOCK = 64 * 1024
let port = 0

const hub = new Swarm('bench', { wrtc })
const a = new Swarm('bench', { wrtc })
const b = new Swarm('bench', { wrtc })
for (const swarm of [hub, a, b]) swarm.on('error', () => {})

// The reference's calls have no timeouts and now and then never call back (an upgrade that stalls, a connect whose
// handshake is lost in the teardown of the previous sample): such a call is abandoned after CALL_TIMEOUT_MS and
// counted, and the sample is taken again from fresh sessions.
const CALL_TIMEOUT_MS = 5000
let stalled = 0

class Stalled extends Error {}

// Rejects with Stalled unless `start(resolve, reject)` settles within CALL_TIMEOUT_MS (`onStall` cleans up).
function withTimeout (start, onStall = () => {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { onStall(); reject(new Stalled('stalled')) }, CALL_TIMEOUT_MS)
    start((value) => { clearTimeout(timer); resolve(value) }, (err) => { clearTimeout(timer); reject(err) })
  })
}

function connectTo (swarm, port) {
  let socket
  return withTimeout((resolve, reject) => {
    socket = net.connect(port, '127.0.0.1')
    socket.setNoDelay(true)
    socket.once('error', reject)
    socket.once('connect', () => swarm.connect(socket, (err) => (err ? reject(err) : resolve())))
  }, () => socket.destroy())
}

// b's next application connection over an upgraded (not relayed) session.
function nextIncoming () {
  let onConnect
  return withTimeout((resolve) => {
    onConnect = (conn, peer) => {
      if (!peer || peer.relayed) return
      b.removeListener('connect', onConnect)
      resolve(conn)
    }
    b.on('connect', onConnect)
  }, () => b.removeListener('connect', onConnect))
}

function getNewPeer () {
  return withTimeout((resolve, reject) => a.getNewPeer((err, conn) => (err ? reject(err) : resolve(conn))))
}

// The reference's hub drops both ends after an upgrade (their relay teardown resets its channels): each sample starts
// from fresh TCP sessions of a and b with the hub, untimed.
async function freshSessions () {
  for (const swarm of [hub, a, b]) for (const peer of swarm._peers.slice()) peer.close()
  await connectTo(a, port)
  await connectTo(b, port)
}

async function timedGetNewPeer () {
  while (true) {
    try {
      await freshSessions()
      const start = process.hrtime.bigint()
      const conn = await getNewPeer()
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      conn.pxpPeer.close()
      return ms
    } catch (err) {
      if (!(err instanceof Stalled)) throw err
      stalled++
    }
  }
}

function transfer (writer, reader) {
  return withTimeout((resolve, reject) => {
    let received = 0
    let written = 0
    const start = process.hrtime.bigint()
    reader.on('data', (data) => {
      received += data.length
      if (data[data.length - 1] === 1 && received === written) {
        resolve(written / (Number(process.hrtime.bigint() - start) / 1e9))
      }
    })
    reader.once('error', reject)
    const block = Buffer.alloc(BLOCK)
    const deadline = Date.now() + transferMs
    function pump () {
      while (Date.now() < deadline) {
        written += BLOCK
        if (!writer.write(block)) return writer.once('drain', pump)
      }
      const last = Buffer.alloc(BLOCK)
      last[BLOCK - 1] = 1
      written += BLOCK
      writer.write(last)
    }
    pump()
  })
}

async function main () {
  const listener = net.createServer((socket) => { socket.setNoDelay(true); socket.on('error', () => {}); hub.accept(socket) })
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve))
  port = listener.address().port
  for (let i = 0; i < warmup; i++) await timedGetNewPeer()
  const measured = []
  const cpuBefore = process.cpuUsage()
  for (let i = 0; i < samples; i++) measured.push(await timedGetNewPeer())
  const cpu = process.cpuUsage(cpuBefore)
  let bytesPerSecond
  while (bytesPerSecond === undefined) {
    try {
      await freshSessions()
      const reader = nextIncoming()
      reader.catch(() => {}) // awaited below; a stalled getNewPeer must not leave it unhandled
      const writer = await getNewPeer()
      bytesPerSecond = await transfer(writer, await reader)
    } catch (err) {
      if (!(err instanceof Stalled)) throw err
      stalled++
    }
  }
  process.stdout.write(JSON.stringify({
    samplesMs: measured, cpuMsPerGetNewPeer: (cpu.user + cpu.system) / 1000 / samples, bytesPerSecond, stalled
  }) + '\n')
  process.exit(0)
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
