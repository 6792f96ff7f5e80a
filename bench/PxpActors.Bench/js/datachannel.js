'use strict'
// libwebrtc <-> libwebrtc data-channel figures, measured inside one node process the way the C# bench
// measures ours: two RTCPeerConnections on loopback with one data channel (connected and warmed up
// once), then on request:
//   throughput: `bytes` random bytes (made before the clock starts) sent one way in `chunk`-byte
//               messages, pausing while more than 1 MiB is buffered; the receiver hashes them and the
//               clock stops when the last byte arrived; the SHA-256 of both ends must match;
//   round trip: `roundTrips` 16-byte messages, each echoed by the other end before the next is sent.
// usage: node datachannel.js <bytes> <chunk> <roundTrips>   (NODE_PATH must reach @roamhq/wrtc)
// stdout: {"ready":true} once warmed up; then stdin "throughput" -> {"throughputMs":N,"cpuMs":N},
// "roundtrip" -> {"rttMs":[...]}, "exit" (or end of input) -> exits. Failures: {"error":"..."}.
// Taking requests lets the C# bench interleave these runs with its own, so both see the same load.

const crypto = require('crypto')
const wrtc = require('@roamhq/wrtc')

const bytes = parseInt(process.argv[2] || String(16 * 1024 * 1024), 10)
const chunk = parseInt(process.argv[3] || String(64 * 1024), 10)
const roundTrips = parseInt(process.argv[4] || '200', 10)
const timeoutMs = 60000

function withTimeout (promise, what) {
  let timer
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(what + ' took over ' + timeoutMs + ' ms')), timeoutMs)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

async function connectedChannels () {
  const offerer = new wrtc.RTCPeerConnection({ iceServers: [] })
  const answerer = new wrtc.RTCPeerConnection({ iceServers: [] })
  offerer.onicecandidate = (e) => { if (e.candidate) answerer.addIceCandidate(e.candidate).catch(() => {}) }
  answerer.onicecandidate = (e) => { if (e.candidate) offerer.addIceCandidate(e.candidate).catch(() => {}) }
  const sending = offerer.createDataChannel('pxp')
  sending.binaryType = 'arraybuffer'
  const receiving = new Promise((resolve) => { answerer.ondatachannel = (e) => resolve(e.channel) })
  const open = new Promise((resolve) => { sending.onopen = resolve })
  await offerer.setLocalDescription(await offerer.createOffer())
  await answerer.setRemoteDescription(offerer.localDescription)
  await answerer.setLocalDescription(await answerer.createAnswer())
  await offerer.setRemoteDescription(answerer.localDescription)
  const [other] = await withTimeout(Promise.all([receiving, open]), 'connecting')
  other.binaryType = 'arraybuffer'
  return { offerer, answerer, sending, receiving: other }
}

// The event is the signal; a 1 ms poll backs it up, since wrtc does not always fire it.
function bufferedAmountLow (dc) {
  return new Promise((resolve) => {
    const done = () => { clearInterval(poll); dc.onbufferedamountlow = null; resolve() }
    const poll = setInterval(() => { if (dc.bufferedAmount <= dc.bufferedAmountLowThreshold) done() }, 1)
    dc.onbufferedamountlow = done
  })
}

async function throughput (sending, receiving, payload) {
  const sentHash = crypto.createHash('sha256').update(payload).digest('hex')
  const hash = crypto.createHash('sha256')
  let received = 0
  const done = new Promise((resolve) => {
    receiving.onmessage = (e) => {
      hash.update(Buffer.from(e.data))
      received += e.data.byteLength
      if (received >= payload.length) resolve()
    }
  })
  sending.bufferedAmountLowThreshold = 256 * 1024
  const start = process.hrtime.bigint()
  for (let offset = 0; offset < payload.length; offset += chunk) {
    if (sending.bufferedAmount > 1024 * 1024) await bufferedAmountLow(sending)
    sending.send(payload.subarray(offset, Math.min(offset + chunk, payload.length)))
  }
  await withTimeout(done, 'the transfer')
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  receiving.onmessage = null
  if (hash.digest('hex') !== sentHash) throw new Error('the received bytes hash differently from the sent ones')
  return ms
}

async function roundTripTimes (sending, receiving, count) {
  receiving.onmessage = (e) => receiving.send(e.data)
  const message = crypto.randomBytes(16)
  const times = []
  for (let i = 0; i < count; i++) {
    const echoed = new Promise((resolve) => { sending.onmessage = resolve })
    const start = process.hrtime.bigint()
    sending.send(message)
    await withTimeout(echoed, 'an echo')
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  sending.onmessage = null
  receiving.onmessage = null
  return times
}

async function main () {
  const { offerer, answerer, sending, receiving } = await connectedChannels()
  const payload = crypto.randomBytes(bytes)
  // Warm-up: a quarter of the transfer and a few echoes, untimed.
  await throughput(sending, receiving, payload.subarray(0, Math.max(chunk, bytes >> 2)))
  await roundTripTimes(sending, receiving, 20)
  const requests = {
    async throughput () {
      const cpuBefore = process.cpuUsage()
      const throughputMs = await throughput(sending, receiving, payload)
      const cpu = process.cpuUsage(cpuBefore)
      return { throughputMs, cpuMs: (cpu.user + cpu.system) / 1000 }
    },
    async roundtrip () {
      return { rttMs: await roundTripTimes(sending, receiving, roundTrips) }
    }
  }
  const close = () => {
    offerer.close()
    answerer.close()
    setImmediate(() => process.exit(0))
  }
  process.stdout.write(JSON.stringify({ ready: true }) + '\n')
  const lines = require('readline').createInterface({ input: process.stdin })
  let queue = Promise.resolve()
  lines.on('line', (line) => {
    const request = line.trim()
    queue = queue.then(async () => {
      if (request === 'exit') return close()
      const handler = requests[request]
      try {
        if (!handler) throw new Error('unknown request "' + request + '"')
        process.stdout.write(JSON.stringify(await handler()) + '\n')
      } catch (err) {
        process.stdout.write(JSON.stringify({ error: String(err && err.message ? err.message : err) }) + '\n')
      }
    })
  })
  lines.on('close', () => { queue = queue.then(close) })
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ error: String(err && err.message ? err.message : err) }) + '\n')
  setImmediate(() => process.exit(1))
})
