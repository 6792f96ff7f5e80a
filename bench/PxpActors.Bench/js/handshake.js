'use strict'
// The reference's handshake latency, measured inside one node process the same way the C# bench
// measures ours: from the TCP connect call to the application connection (ex.connect's callback).
// Both sockets get TCP_NODELAY (the reference's default Nagle costs ~88 ms per handshake).
//
// usage: node handshake.js <samples> <warmup>      (NODE_PATH must reach peer-exchange)
// stdout: one JSON object: {"samplesMs":[...],"cpuMsPerHandshake":N} (warm-up samples left out;
//         CPU is this process's, both ends, over the timed handshakes)

const net = require('net')
const Swarm = require('peer-exchange')

const samples = parseInt(process.argv[2] || '200', 10)
const warmup = parseInt(process.argv[3] || '20', 10)
// The swarm insists on a WebRTC implementation; no upgrade happens here, so a placeholder will do.
const noWrtc = {}

const server = new Swarm('bench', { wrtc: noWrtc })
const client = new Swarm('bench', { wrtc: noWrtc })
const listener = net.createServer((socket) => {
  socket.setNoDelay(true)
  server.accept(socket)
})

function handshakeOnce () {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const socket = net.connect(listener.address().port, '127.0.0.1')
    socket.setNoDelay(true)
    socket.once('error', reject)
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
  for (let i = 0; i < warmup; i++) await handshakeOnce()
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
