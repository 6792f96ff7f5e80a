'use strict'
// libwebrtc <-> libwebrtc handshake latency, measured inside one node process the way the C# bench
// measures ours: both RTCPeerConnections (the offerer with its data channel) exist before the clock
// starts; the clock runs from createOffer until both report connectionState "connected" (ICE and
// DTLS up). Candidates trickle straight from one peer to the other. Fresh peers each time, closed after.
//
// The bench alternates these handshakes with its own, so it drives this script one line at a time:
// usage: node webrtc-handshake.js <warmup>   (NODE_PATH must reach @roamhq/wrtc)
// stdin:  "handshake" -> stdout {"ms":N,"sdpMs":N,"cpuMs":N} (sdpMs: until both descriptions are applied;
//         cpuMs: this process's CPU time, all threads, over the same span);  "ping" -> {"pong":true} (times the pipe);  "exit" or EOF ends it.
// The <warmup> untimed handshakes run first, then {"ready":true} is written. Failures: {"error":"..."}.

const readline = require('readline')
const wrtc = require('@roamhq/wrtc')

const warmup = parseInt(process.argv[2] || '2', 10)
const timeoutMs = 30000

function reply (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function connected (pc) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pc.connectionState === 'connected') resolve()
      else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        reject(new Error('connectionState ' + pc.connectionState))
      }
    }
    pc.addEventListener('connectionstatechange', check)
    check()
  })
}

function trickle (from, to) {
  from.onicecandidate = (e) => {
    if (e.candidate) to.addIceCandidate(e.candidate).catch(() => {})
  }
}

async function handshakeOnce () {
  const offerer = new wrtc.RTCPeerConnection({ iceServers: [] })
  const answerer = new wrtc.RTCPeerConnection({ iceServers: [] })
  offerer.createDataChannel('pxp')
  trickle(offerer, answerer)
  trickle(answerer, offerer)
  const bothConnected = Promise.all([connected(offerer), connected(answerer)])
  let timer
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no connection within ' + timeoutMs + ' ms')), timeoutMs)
  })
  try {
    const cpuBefore = process.cpuUsage()
    const start = process.hrtime.bigint()
    const offer = await offerer.createOffer()
    await offerer.setLocalDescription(offer)
    await answerer.setRemoteDescription(offerer.localDescription)
    const answer = await answerer.createAnswer()
    await answerer.setLocalDescription(answer)
    await offerer.setRemoteDescription(answerer.localDescription)
    const sdpMs = Number(process.hrtime.bigint() - start) / 1e6
    await Promise.race([bothConnected, deadline])
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    const cpu = process.cpuUsage(cpuBefore)
    return { ms, sdpMs, cpuMs: (cpu.user + cpu.system) / 1000 }
  } finally {
    clearTimeout(timer)
    offerer.close()
    answerer.close()
  }
}

function leave () {
  // wrtc keeps native threads alive; leave explicitly.
  setImmediate(() => process.exit(0))
}

async function main () {
  for (let i = 0; i < warmup; i++) await handshakeOnce()
  reply({ ready: true })
  const lines = readline.createInterface({ input: process.stdin })
  // One command at a time, in order: a handshake never overlaps another; EOF waits for them too.
  let queue = Promise.resolve()
  lines.on('close', () => { queue = queue.then(leave) })
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const command = line.trim()
      if (command === 'exit') return leave()
      if (command === 'ping') return reply({ pong: true })
      if (command !== 'handshake') return reply({ error: 'unknown command "' + command + '"' })
      try {
        reply(await handshakeOnce())
      } catch (err) {
        reply({ error: String(err && err.message ? err.message : err) })
      }
    })
  })
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
