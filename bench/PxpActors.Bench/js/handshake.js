'use strict'
// The reference's handshake latency, measured inside one node process the same way the C# bench
// measures ours: from the TCP connect call to the application connection (ex.connect's callback).
// Both sockets get TCP_NODELAY (the reference's default Nagle costs ~88 ms per handshake).
//
// usage: node handshake.js <samples> <warmup>      (NODE_PATH must reach peer-exchange)
// stdout: one JSON object: {"samplesMs":[...],"cpuMsPerHandshake":N} (warm-up samples left out;
//         CPU is this process's, both ends, over the timed handshakes)
// Warm-up connections are closed every WARMUP_ROUND handshakes, so a long warm-up stays well under even a 1,024-file limit
// (node, unlike .NET, does not raise its soft limit).

const net = require('net')
const Swarm = require('peer-exchange')

const samples = parseInt(process.argv[2] || '200', 10)
const warmup = parseInt(process.argv[3] || '20', 10)
const WARMUP_ROUND = 400
// The swarm insists on a WebRTC implementation; no upgrade happens here, so a placeholder will do.
const noWrtc = {}

const server = new Swarm('bench', { wrtc: noWrtc })
const client = new Swarm('bench', { wrtc: noWrtc })
// Closing warm-up connections may surface as errors on the other end; they are expected.
server.on('error', () => {})
client.on('error', () => {})
const listener = net.createServer((socket) => {
  socket.setNoDelay(true)
  socket.on('error', () => {})
  server.accept(socket)
})

// Resolves with the latency once connected; the socket is pushed to `opened` when given.
function handshakeOnce (opened) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const socket = net.connect(listener.address().port, '127.0.0.1')
    socket.setNoDelay(true)
    socket.once('error', reject)
    if (opened) opened.push(socket)
    socket.once('connect', () => {
      client.connect(socket, (err) => {
        if (err) return reject(err)
        resolve(Number(process.hrtime.bigint() - start) / 1e6)
      })
    })
  })
}

async function main () {
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve))
  let opened = []
  for (let i = 0; i < warmup; i++) {
    if (opened.length === WARMUP_ROUND) {
      for (const socket of opened) socket.destroy()
      opened = []
    }
    await handshakeOnce(opened)
  }
  const measured = []
  const cpuBefore = process.cpuUsage()
  for (let i = 0; i < samples; i++) measured.push(await handshakeOnce())
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMsPerHandshake = (cpu.user + cpu.system) / 1000 / samples
  process.stdout.write(JSON.stringify({ samplesMs: measured, cpuMsPerHandshake }) + '\n')
  client.close()
  server.close()
  listener.close()
  process.exit(0)
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
