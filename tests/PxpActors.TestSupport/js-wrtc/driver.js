'use strict'
// Drives one libwebrtc RTCPeerConnection (@roamhq/wrtc) for the C# WebRTC tests.
//
// stdin:  one JSON command a line, {"id":N,"cmd":"...",...}
// stdout: one JSON object a line: a reply {"id":N,"ok":true,...} / {"id":N,"ok":false,"error":"..."}
//         or an event {"event":"...",...}. Nothing else is written to stdout.
//
// Commands: create {role:"offerer"|"answerer", label?, iceServers?}, renew {role, label?, iceServers?} (closes
// the peer connection and creates a fresh one in this warm process; the old one reports nothing more, so
// every event after the reply is the new one's), createOffer, createAnswer,
// setRemoteDescription {type,sdp}, addIceCandidate {candidate:{candidate,sdpMLineIndex,sdpMid}},
// certificates, waitForDtlsState {states, timeoutMs}, send {text}, close.
// Data channel: sendBinary {base64}, sendStream {bytes, chunk} (random bytes with backpressure; replies
// {sha256, bytes}), hashIncoming (binary messages are hashed instead of reported), waitHash {bytes,
// timeoutMs} (replies {sha256, bytes, messages}), echo {on} (while on, every message received on the
// channel is sent straight back, text as text, binary as binary, and not reported), closeChannel,
// channelState, sctpMaxMessageSize.
// Events: candidate {candidate:{...}|null}, connectionState, iceConnectionState, iceGatheringState,
// dataChannel {state,label}, message {text} or {binary:true, base64, length}.

const crypto = require('crypto')
const readline = require('readline')
const wrtc = require('@roamhq/wrtc')

let pc = null
let channel = null
let incomingHash = null // while set, binary messages are hashed: {hash, bytes, messages, waiters}
let echoing = false // while set, every received message goes straight back (round-trip measurements)

function send (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function emit (event, fields) {
  send(Object.assign({ event }, fields || {}))
}

function errorText (err) {
  return err instanceof Error ? err.message : String(err)
}

process.on('uncaughtException', (err) => emit('uncaughtException', { message: errorText(err) }))
process.on('unhandledRejection', (err) => emit('uncaughtException', { message: errorText(err) }))

function watchChannel (dc) {
  channel = dc
  dc.binaryType = 'arraybuffer'
  dc.onopen = () => emit('dataChannel', { state: 'open', label: dc.label })
  dc.onclose = () => emit('dataChannel', { state: 'closed', label: dc.label })
  dc.onclosing = () => emit('dataChannel', { state: 'closing', label: dc.label })
  dc.onmessage = (e) => {
    if (echoing) {
      if (dc.readyState === 'open') dc.send(e.data)
      return
    }
    if (typeof e.data === 'string') {
      emit('message', { text: e.data })
      return
    }
    const bytes = Buffer.from(e.data)
    if (incomingHash) {
      incomingHash.hash.update(bytes)
      incomingHash.bytes += bytes.length
      incomingHash.messages++
      incomingHash.waiters.forEach((check) => check())
      return
    }
    emit('message', { binary: true, base64: bytes.toString('base64'), length: bytes.length })
  }
}

function requireOpenChannel () {
  if (!channel || channel.readyState !== 'open') throw new Error('the data channel is not open')
  return channel
}

// Sends `total` random bytes in `chunk`-sized messages, pausing while more than 1 MiB is buffered
// (the bufferedamountlow pattern every application uses), and returns their SHA-256.
async function sendStream (total, chunk) {
  const dc = requireOpenChannel()
  const hash = crypto.createHash('sha256')
  const high = 1024 * 1024
  dc.bufferedAmountLowThreshold = 256 * 1024
  let sent = 0
  while (sent < total) {
    if (dc.bufferedAmount > high) await bufferedAmountLow(dc, () => 'sent ' + sent + ' of ' + total)
    const part = crypto.randomBytes(Math.min(chunk, total - sent))
    hash.update(part)
    dc.send(part)
    sent += part.length
  }
  return { sha256: hash.digest('hex'), bytes: sent }
}

// Resolves when the channel's bufferedAmount fell to its low threshold. The event is the signal; a slow
// poll backs it up (and reports a stall on stderr, which the C# side prints when a command times out).
function bufferedAmountLow (dc, progress) {
  return new Promise((resolve, reject) => {
    let polls = 0
    const done = (err) => {
      clearInterval(poll)
      dc.onbufferedamountlow = null
      if (err) reject(err)
      else resolve()
    }
    const poll = setInterval(() => {
      if (dc.readyState !== 'open') done(new Error('the data channel closed while sending (' + progress() + ')'))
      else if (dc.bufferedAmount <= dc.bufferedAmountLowThreshold) done()
      else if (++polls % 20 === 0) process.stderr.write('sendStream stalled: ' + progress() + ', bufferedAmount ' + dc.bufferedAmount + '\n')
    }, 50)
    dc.onbufferedamountlow = () => done()
  })
}

// Resolves once `bytes` binary bytes were hashed since hashIncoming.
function waitHash (bytes, timeoutMs) {
  if (!incomingHash) throw new Error('send "hashIncoming" first')
  const state = incomingHash
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('received ' + state.bytes + ' of ' + bytes + ' bytes in time')), timeoutMs)
    const check = () => {
      if (state.bytes < bytes) return
      clearTimeout(timer)
      state.waiters = state.waiters.filter((w) => w !== check)
      resolve({ sha256: state.hash.digest('hex'), bytes: state.bytes, messages: state.messages })
    }
    state.waiters.push(check)
    check()
  })
}

function requirePc () {
  if (!pc) throw new Error('no peer connection: send "create" first')
  return pc
}

// Certificate fingerprints as getStats reports them for the selected transport: what libwebrtc
// itself announced and what it verified the peer's certificate against.
async function certificates () {
  const stats = await requirePc().getStats()
  const byId = new Map()
  stats.forEach((s) => byId.set(s.id, s))
  let local = null
  let remote = null
  let dtlsState = null
  stats.forEach((s) => {
    if (s.type !== 'transport') return
    dtlsState = s.dtlsState || dtlsState
    const l = byId.get(s.localCertificateId)
    const r = byId.get(s.remoteCertificateId)
    if (l) local = { algorithm: l.fingerprintAlgorithm, fingerprint: l.fingerprint }
    if (r) remote = { algorithm: r.fingerprintAlgorithm, fingerprint: r.fingerprint }
  })
  return { local, remote, dtlsState }
}

// Resolves once getStats reports the transport's dtlsState as one of `states`. The RTCDtlsTransport
// statechange event of @roamhq/wrtc misses some transitions (a close_notify from the peer), so the
// state is read from the stats the way an application would, every 20 ms until the deadline.
async function waitForDtlsState (states, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { dtlsState } = await certificates()
    if (states.includes(dtlsState)) return { dtlsState }
    if (Date.now() > deadline) throw new Error('dtlsState is "' + dtlsState + '", not one of ' + states.join(', '))
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function createPeerConnection (cmd) {
  if (cmd.role !== 'offerer' && cmd.role !== 'answerer') throw new Error('role is "offerer" or "answerer"')
  const next = new wrtc.RTCPeerConnection({ iceServers: cmd.iceServers || [] })
  next.onicecandidate = (e) => emit('candidate', {
    candidate: e.candidate
      ? { candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex, sdpMid: e.candidate.sdpMid }
      : null
  })
  next.onconnectionstatechange = () => emit('connectionState', { state: next.connectionState })
  next.oniceconnectionstatechange = () => emit('iceConnectionState', { state: next.iceConnectionState })
  next.onicegatheringstatechange = () => emit('iceGatheringState', { state: next.iceGatheringState })
  next.ondatachannel = (e) => watchChannel(e.channel)
  pc = next
  if (cmd.role === 'offerer') watchChannel(next.createDataChannel(cmd.label || 'pxp'))
}

// Detaches every handler of a peer connection and its channel before closing it, so nothing it does
// later is reported as the next one's.
function silence (old) {
  for (const name of ['onicecandidate', 'onconnectionstatechange', 'oniceconnectionstatechange', 'onicegatheringstatechange', 'ondatachannel']) {
    old[name] = null
  }
  if (channel) {
    for (const name of ['onopen', 'onclose', 'onclosing', 'onmessage']) channel[name] = null
  }
  old.close()
}

const commands = {
  async create (cmd) {
    if (pc) throw new Error('peer connection already created')
    createPeerConnection(cmd)
    return {}
  },
  async renew (cmd) {
    if (pc) silence(pc)
    pc = null
    channel = null
    incomingHash = null
    echoing = false
    createPeerConnection(cmd)
    return {}
  },
  async createOffer () {
    const offer = await requirePc().createOffer()
    await pc.setLocalDescription(offer)
    return { type: pc.localDescription.type, sdp: pc.localDescription.sdp }
  },
  async createAnswer () {
    const answer = await requirePc().createAnswer()
    await pc.setLocalDescription(answer)
    return { type: pc.localDescription.type, sdp: pc.localDescription.sdp }
  },
  async setRemoteDescription (cmd) {
    await requirePc().setRemoteDescription({ type: cmd.type, sdp: cmd.sdp })
    return {}
  },
  async addIceCandidate (cmd) {
    await requirePc().addIceCandidate(cmd.candidate)
    return {}
  },
  async certificates () {
    return certificates()
  },
  async waitForDtlsState (cmd) {
    return waitForDtlsState(cmd.states, cmd.timeoutMs)
  },
  async send (cmd) {
    if (!channel || channel.readyState !== 'open') throw new Error('the data channel is not open')
    channel.send(cmd.text)
    return {}
  },
  async sendBinary (cmd) {
    requireOpenChannel().send(Buffer.from(cmd.base64, 'base64'))
    return {}
  },
  async sendStream (cmd) {
    return sendStream(cmd.bytes, cmd.chunk)
  },
  async hashIncoming () {
    incomingHash = { hash: crypto.createHash('sha256'), bytes: 0, messages: 0, waiters: [] }
    return {}
  },
  async waitHash (cmd) {
    return waitHash(cmd.bytes, cmd.timeoutMs)
  },
  async echo (cmd) {
    echoing = cmd.on !== false
    return { echoing }
  },
  async closeChannel () {
    if (!channel) throw new Error('no data channel')
    channel.close()
    return { readyState: channel.readyState }
  },
  async channelState () {
    return channel
      ? { readyState: channel.readyState, label: channel.label, bufferedAmount: channel.bufferedAmount }
      : { readyState: null }
  },
  async sctpMaxMessageSize () {
    const sctp = requirePc().sctp
    return { maxMessageSize: sctp ? sctp.maxMessageSize : null }
  },
  async close () {
    if (pc) pc.close()
    return {}
  }
}

const input = readline.createInterface({ input: process.stdin })
input.on('line', async (line) => {
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (err) {
    emit('badCommand', { line, message: errorText(err) })
    return
  }
  const handler = commands[cmd.cmd]
  try {
    if (!handler) throw new Error('unknown command "' + cmd.cmd + '"')
    const reply = await handler(cmd)
    send(Object.assign({ id: cmd.id, ok: true }, reply))
  } catch (err) {
    send({ id: cmd.id, ok: false, error: errorText(err) })
  }
})
input.on('close', () => {
  if (pc) pc.close()
  // wrtc keeps native threads alive; leave explicitly once stdin is gone.
  setImmediate(() => process.exit(0))
})
