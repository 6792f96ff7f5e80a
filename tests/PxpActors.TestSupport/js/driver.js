'use strict'
// Drives the published reference peers (peer-exchange@2.2.0 over pxp@1.1.0, WebRTC through
// @roamhq/wrtc) for the C# interop tests.
//
// stdin:  one JSON command a line, {"id":N,"cmd":"...",...}
// stdout: one JSON object a line; a reply {"id":N,"ok":true,...} / {"id":N,"ok":false,"error":"..."}
//         or an event {"event":"...",...}. Nothing else is ever written to stdout.
// Bytes travel as base64 ("data"); commands also accept UTF-8 as "text".
//
// Exchanges are addressed by a name chosen by the caller; peers, application connections,
// listeners and capture sockets get process-wide integer ids that appear in replies and events.
//
// Commands (arguments beside each handler below):
//   Swarm:    create listen connect wsListen wsConnect getNewPeer peers close
//   peer:     getPeers request relay closePeer destroyPeerSocket
//   bare pxp: rawConnect rawListen peerConnect rawClose
//   app data: write end destroyConn
//   capture:  captureConnect captureListen captureWrite captureEnd captureDestroy
// Events: peerCreated peerReady peer disconnect peerDisconnect peerError exchangeError
//   exchangePeerError incoming incomingRelay upgrade rpcIn rpcOut connection data connEnd connClose
//   connError accepted acceptError rawAccepted captureAccepted captureData captureEnd captureClose
//   captureError socketError listenError uncaughtException driverError ready

const fs = require('fs')
const http = require('http')
const https = require('https')
const net = require('net')
const websocket = require('websocket-stream')
const WS = require('ws')
const Swarm = require('peer-exchange')
const Peer = require('pxp')
const RTCPeer = require('simple-peer')
const wrtc = require('@roamhq/wrtc')

// ---------------------------------------------------------------- output

function send (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function emit (event, fields) {
  send(Object.assign({ event }, fields))
}

function errorText (err) {
  if (err instanceof Error) return err.message
  return String(err)
}

// The reference throws from stream callbacks on some inputs (PROTOCOL.md, quirks). A real
// application would die; the driver reports it and keeps serving the other exchanges.
process.on('uncaughtException', (err) => {
  emit('uncaughtException', { message: errorText(err), stack: err && err.stack ? String(err.stack) : null })
})
process.on('unhandledRejection', (err) => {
  emit('uncaughtException', { message: errorText(err), stack: err && err.stack ? String(err.stack) : null })
})

// ---------------------------------------------------------------- state

const exchanges = new Map() // name -> { ex, network, servers: Set }
const peers = new Map() // id -> Peer
const peerIds = new WeakMap() // Peer -> id
const conns = new Map() // id -> stream
const connIds = new WeakMap() // stream -> id
const captures = new Map() // id -> { socket, server }
const rawGroups = new Map() // group name -> { peers: Set, servers: Set }
let nextId = 1

function exchange (name) {
  const entry = exchanges.get(name)
  if (!entry) throw new Error('no exchange named "' + name + '"')
  return entry
}

function peerById (id) {
  const peer = peers.get(id)
  if (!peer) throw new Error('no peer with id ' + id)
  return peer
}

function connById (id) {
  const conn = conns.get(id)
  if (!conn) throw new Error('no connection with id ' + id)
  return conn
}

function captureById (id) {
  const capture = captures.get(id)
  if (!capture) throw new Error('no capture with id ' + id)
  return capture
}

function bytesOf (cmd) {
  if (typeof cmd.data === 'string') return Buffer.from(cmd.data, 'base64')
  if (typeof cmd.text === 'string') return Buffer.from(cmd.text, 'utf8')
  throw new Error('command needs "data" (base64) or "text"')
}

function peerOfSocket (socket) {
  for (const [id, peer] of peers) {
    if (peer.socket === socket) return id
  }
  return null
}

function transportOf (stream, peer) {
  if (stream instanceof net.Socket) return 'tcp'
  if (stream.socket instanceof WS) return 'ws'
  if (stream instanceof RTCPeer) return 'webrtc'
  if (peer.relayed) return 'relay'
  return 'stream'
}

// ---------------------------------------------------------------- tracking

// Every pxp Peer an exchange creates (direct, relayed, upgraded) is registered here, so
// tests can address it and see its lifecycle.
function trackPeer (name, peer, stream, settings) {
  const id = nextId++
  peers.set(id, peer)
  peerIds.set(peer, id)
  if (settings.relayRateLimit) peer.relayRateLimit = settings.relayRateLimit
  emit('peerCreated', {
    exchange: name,
    peer: id,
    transport: transportOf(stream, peer),
    incoming: !!peer.incoming,
    relayed: !!peer.relayed
  })
  peer.once('ready', () => emit('peerReady', {
    exchange: name,
    peer: id,
    remoteConnectInfo: peer.remoteConnectInfo,
    remoteNetworks: peer.remoteNetworks
  }))
  peer.once('disconnect', () => {
    peers.delete(id)
    emit('peerDisconnect', { exchange: name, peer: id })
  })
  if (settings.observePeerErrors) {
    peer.on('error', (err) => emit('peerError', { exchange: name, peer: id, message: errorText(err) }))
  }
  peer.on('incoming', () => emit('incoming', { exchange: name, peer: id }))
  peer.on('upgrade', (request) => emit('upgrade', { exchange: name, peer: id, request }))
  // The hello went out in the Peer constructor, before this hook: it is not traced.
  const rpc = peer.pxp.stream
  rpc.on('data', (message) => emit('rpcIn', { exchange: name, peer: id, message }))
  const write = rpc.write.bind(rpc)
  rpc.write = (message, ...rest) => {
    emit('rpcOut', { exchange: name, peer: id, message })
    return write(message, ...rest)
  }
  return id
}

// Application connections (data:<network> streams, or a relayed stream for function
// candidates) get an id the first time they are seen; their bytes and ends become events.
function trackConn (name, stream, peer) {
  const known = connIds.get(stream)
  if (known) return known
  const id = nextId++
  conns.set(id, stream)
  connIds.set(stream, id)
  const peerId = peer ? peerIds.get(peer) || null : null
  emit('connection', { exchange: name, conn: id, peer: peerId })
  stream.on('data', (chunk) => emit('data', { exchange: name, conn: id, data: Buffer.from(chunk).toString('base64') }))
  stream.once('end', () => emit('connEnd', { exchange: name, conn: id }))
  stream.once('close', () => {
    conns.delete(id)
    emit('connClose', { exchange: name, conn: id })
  })
  stream.on('error', (err) => emit('connError', { exchange: name, conn: id, message: errorText(err) }))
  return id
}

function connReply (name, stream) {
  return { conn: trackConn(name, stream, stream.pxpPeer), peer: stream.pxpPeer ? peerIds.get(stream.pxpPeer) || null : null }
}

// ---------------------------------------------------------------- commands

const commands = {
  // {name, network, allowIncoming?, wrtc? (default true), rtcConfig?, relayRateLimit?,
  //  functionCandidates?: [{host, port, connectInfo?}], observePeerErrors? (default true)}
  // Options the caller leaves out are not passed to the reference at all.
  create (cmd, reply) {
    if (exchanges.has(cmd.name)) throw new Error('exchange "' + cmd.name + '" exists')
    const opts = {}
    if (cmd.wrtc !== false) opts.wrtc = wrtc
    if (cmd.allowIncoming !== undefined) opts.allowIncoming = cmd.allowIncoming
    if (cmd.rtcConfig !== undefined) opts.rtcConfig = cmd.rtcConfig
    const functionCandidates = cmd.functionCandidates || []
    if (functionCandidates.length > 0) {
      // Function candidates: the relay pipes to whatever stream the function yields; here a
      // fresh TCP socket to host:port (the reference's non-PXP relay path).
      opts.getPeers = function (cb) {
        cb(null, ex._peers.concat(functionCandidates.map(tcpCandidate)))
      }
    }
    const ex = new Swarm(cmd.network, opts)
    const name = cmd.name
    const settings = {
      relayRateLimit: cmd.relayRateLimit,
      observePeerErrors: cmd.observePeerErrors !== false
    }
    const createPeer = ex._createPeer.bind(ex)
    ex._createPeer = (stream, peerOpts) => {
      const peer = createPeer(stream, peerOpts)
      trackPeer(name, peer, stream, settings)
      return peer
    }
    ex.on('peer', (peer) => emit('peer', { exchange: name, peer: peerIds.get(peer) || null, peers: ex.peers.length }))
    ex.on('disconnect', (peer) => emit('disconnect', { exchange: name, peer: peerIds.get(peer) || null, peers: ex.peers.length }))
    ex.on('connect', (stream, peer) => trackConn(name, stream, peer))
    ex.on('error', (err) => emit('exchangeError', { exchange: name, message: errorText(err) }))
    ex.on('peerError', (err, peer) => emit('exchangePeerError', { exchange: name, peer: peerIds.get(peer) || null, message: errorText(err) }))
    exchanges.set(name, { ex, network: cmd.network, servers: new Set() })
    reply({ connectInfo: ex.connectInfo || null })
  },

  // {name} -> {port, listener}; every accepted socket goes to ex.accept.
  listen (cmd, reply) {
    const entry = exchange(cmd.name)
    const server = net.createServer((socket) => {
      socket.on('error', (err) => emit('socketError', { exchange: cmd.name, message: errorText(err) }))
      entry.ex.accept(socket, (err, conn) => {
        if (err) return emit('acceptError', { exchange: cmd.name, message: errorText(err) })
        emit('accepted', Object.assign({ exchange: cmd.name }, connReply(cmd.name, conn)))
      })
    })
    entry.servers.add(server)
    server.on('error', (err) => emit('listenError', { exchange: cmd.name, message: errorText(err) }))
    server.listen(0, '127.0.0.1', () => reply({ port: server.address().port }))
  },

  // {name, host, port, wait? (default true)}: ex.connect over a new TCP socket. With wait the
  // reply comes from the reference's callback ({conn, peer} or the error); without, as soon as
  // the socket is connected ({peer}), for sessions the test drives by hand.
  connect (cmd, reply) {
    const entry = exchange(cmd.name)
    const wait = cmd.wait !== false
    const socket = net.connect(cmd.port, cmd.host || '127.0.0.1')
    let settled = false
    const settle = (fields, error) => {
      if (settled) return
      settled = true
      if (error) reply.fail(error)
      else reply(fields)
    }
    socket.once('error', (err) => settle(null, 'socket: ' + errorText(err)))
    socket.once('connect', () => {
      entry.ex.connect(socket, (err, conn) => {
        if (err) return settle(null, errorText(err))
        settle(connReply(cmd.name, conn))
      })
      const peerId = peerOfSocket(socket)
      const peer = peerId ? peers.get(peerId) : null
      if (peer) peer.once('disconnect', () => settle(null, 'peer disconnected before its connection opened'))
      if (!wait) settle({ peer: peerId })
    })
  },

  // {name, cert?, key?} -> {port}: a websocket-stream server on 127.0.0.1 (wss with the PEM files cert and key),
  // every accepted stream goes to ex.accept, as the reference's README serves browsers.
  wsListen (cmd, reply) {
    const entry = exchange(cmd.name)
    const server = cmd.cert
      ? https.createServer({ cert: fs.readFileSync(cmd.cert), key: fs.readFileSync(cmd.key) })
      : http.createServer()
    websocket.createServer({ server }, (stream) => {
      stream.on('error', (err) => emit('socketError', { exchange: cmd.name, message: errorText(err) }))
      entry.ex.accept(stream, (err, conn) => {
        if (err) return emit('acceptError', { exchange: cmd.name, message: errorText(err) })
        emit('accepted', Object.assign({ exchange: cmd.name }, connReply(cmd.name, conn)))
      })
    })
    entry.servers.add(server)
    server.on('error', (err) => emit('listenError', { exchange: cmd.name, message: errorText(err) }))
    server.listen(0, '127.0.0.1', () => reply({ port: server.address().port }))
  },

  // {name, url, ca?}: ex.connect over websocket-stream to url (ws:// or wss://, trusting the PEM file ca); the
  // reply is the reference's callback ({conn, peer}) or the error.
  wsConnect (cmd, reply) {
    const entry = exchange(cmd.name)
    const stream = websocket(cmd.url, cmd.ca ? { ca: fs.readFileSync(cmd.ca) } : {})
    let settled = false
    const settle = (fields, error) => {
      if (settled) return
      settled = true
      if (error) reply.fail(error)
      else reply(fields)
    }
    stream.once('error', (err) => settle(null, 'websocket: ' + errorText(err)))
    stream.once('connect', () => {
      entry.ex.connect(stream, (err, conn) => {
        if (err) return settle(null, errorText(err))
        settle(connReply(cmd.name, conn))
      })
    })
  },

  // {name} -> {conn, peer} of the new connection, or the reference's error.
  getNewPeer (cmd, reply) {
    const entry = exchange(cmd.name)
    entry.ex.getNewPeer((err, conn) => {
      if (err) return reply.fail(errorText(err))
      reply(connReply(cmd.name, conn))
    })
  },

  // {conn, data|text}
  write (cmd, reply) {
    const conn = connById(cmd.conn)
    conn.write(bytesOf(cmd))
    reply({})
  },

  // {conn}: half-close our side.
  end (cmd, reply) {
    connById(cmd.conn).end()
    reply({})
  },

  // {conn}
  destroyConn (cmd, reply) {
    connById(cmd.conn).destroy()
    reply({})
  },

  // {name} -> {count, peers:[ids]}
  peers (cmd, reply) {
    const list = exchange(cmd.name).ex.peers
    reply({ count: list.length, peers: list.map((p) => peerIds.get(p) || null) })
  },

  // {peer, network?}: the reference's own getPeers (validation included) -> {candidates}
  getPeers (cmd, reply) {
    const peer = peerById(cmd.peer)
    const network = cmd.network || Object.keys(peer.networks)[0]
    peer.getPeers(network, (err, candidates) => {
      if (err) return reply.fail(errorText(err))
      reply({ candidates })
    })
  },

  // {peer, command, args, expectReply? (default true)}: a raw pxp request; args go on the wire
  // exactly as given; the reply carries the raw res args ({args}).
  request (cmd, reply) {
    const peer = peerById(cmd.peer)
    if (cmd.expectReply === false) {
      peer.pxp.send(cmd.command, cmd.args)
      return reply({})
    }
    peer.pxp.send(cmd.command, cmd.args, (args) => reply({ args: args === undefined ? null : args }))
  },

  // {peer, candidate}: the reference's relay() to a candidate id -> {conn} (the relayed stream)
  relay (cmd, reply) {
    const peer = peerById(cmd.peer)
    peer.relay({ id: cmd.candidate }, (err, stream) => {
      if (err) return reply.fail(errorText(err))
      reply({ conn: trackConn(cmd.name || null, stream, null) })
    })
  },

  // {peer}: peer.close()
  closePeer (cmd, reply) {
    peerById(cmd.peer).close()
    reply({})
  },

  // {peer}: destroy the peer's transport under it (socket.destroy())
  destroyPeerSocket (cmd, reply) {
    peerById(cmd.peer).socket.destroy()
    reply({})
  },

  // {name}: ex.close() and stop its listeners.
  close (cmd, reply) {
    const entry = exchange(cmd.name)
    entry.ex.close()
    for (const server of entry.servers) server.close()
    entry.servers.clear()
    exchanges.delete(cmd.name)
    reply({})
  },

  // {host, port}: a plain socket to a PXP node; everything the node writes is reported.
  captureConnect (cmd, reply) {
    const socket = net.connect(cmd.port, cmd.host || '127.0.0.1')
    let connected = false
    socket.once('error', (err) => { if (!connected) reply.fail('socket: ' + errorText(err)) })
    socket.once('connect', () => {
      connected = true
      reply({ capture: trackCapture(socket, null) })
    })
  },

  // {} -> {capture, port}: accepts one plain socket (a JS exchange connects to it) and
  // reports everything the connecting node writes.
  captureListen (cmd, reply) {
    const id = nextId++
    const server = net.createServer((socket) => {
      server.close()
      trackCapture(socket, id)
      emit('captureAccepted', { capture: id })
    })
    captures.set(id, { socket: null, server })
    server.listen(0, '127.0.0.1', () => reply({ capture: id, port: server.address().port }))
  },

  // {capture, data|text}
  captureWrite (cmd, reply) {
    const capture = captureById(cmd.capture)
    if (!capture.socket) throw new Error('capture ' + cmd.capture + ' has no socket yet')
    capture.socket.write(bytesOf(cmd), () => reply({}))
  },

  // {capture}: half-close
  captureEnd (cmd, reply) {
    const capture = captureById(cmd.capture)
    if (capture.socket) capture.socket.end()
    reply({})
  },

  // {capture}
  captureDestroy (cmd, reply) {
    const capture = captureById(cmd.capture)
    if (capture.socket) capture.socket.destroy()
    if (capture.server) capture.server.close()
    captures.delete(cmd.capture)
    reply({})
  },

  // Bare pxp Peers (no Swarm), as the pxp test suite uses them: any networks and connectInfo.
  // A group's peers offer each other as getpeers candidates on their shared networks.
  // {group, host, port | url, ca?, networks:[...], connectInfo?} -> {peer} once the socket is up.
  // With url instead of host and port: over websocket-stream (ws:// or wss://, trusting the PEM file ca).
  rawConnect (cmd, reply) {
    const socket = cmd.url
      ? websocket(cmd.url, cmd.ca ? { ca: fs.readFileSync(cmd.ca) } : {})
      : net.connect(cmd.port, cmd.host || '127.0.0.1')
    let connected = false
    socket.once('error', (err) => { if (!connected) reply.fail('socket: ' + errorText(err)) })
    socket.once('connect', () => {
      connected = true
      reply({ peer: createRawPeer(cmd, socket, false) })
    })
  },

  // {group, networks:[...], connectInfo?} -> {port}; every accepted socket becomes a bare Peer.
  rawListen (cmd, reply) {
    const group = rawGroup(cmd.group)
    const server = net.createServer((socket) => {
      const id = createRawPeer(cmd, socket, true)
      emit('rawAccepted', { exchange: cmd.group, peer: id })
    })
    group.servers.add(server)
    server.on('error', (err) => emit('listenError', { exchange: cmd.group, message: errorText(err) }))
    server.listen(0, '127.0.0.1', () => reply({ port: server.address().port }))
  },

  // {group}: close every bare Peer of the group and its listeners.
  rawClose (cmd, reply) {
    const group = rawGroup(cmd.group)
    for (const peer of group.peers) peer.close()
    for (const server of group.servers) server.close()
    rawGroups.delete(cmd.group)
    reply({})
  },

  // {peer, network}: the bare Peer's connect(network) -> {conn}
  peerConnect (cmd, reply) {
    const peer = peerById(cmd.peer)
    peer.onceReady(() => peer.connect(cmd.network, (err, stream) => {
      if (err) return reply.fail(errorText(err))
      reply({ conn: trackConn(peer.pxpGroup || null, stream, peer), peer: cmd.peer })
    }))
  },

  ping (cmd, reply) {
    reply({ versions: process.versions.node })
  }
}

function rawGroup (name) {
  let group = rawGroups.get(name)
  if (!group) {
    group = { peers: new Set(), servers: new Set() }
    rawGroups.set(name, group)
  }
  return group
}

function createRawPeer (cmd, socket, incoming) {
  const group = rawGroup(cmd.group)
  const networks = {}
  for (const network of cmd.networks) {
    networks[network] = function (cb) {
      cb(null, Array.from(group.peers).filter((p) => p.ready && p.remoteNetworks.indexOf(network) !== -1))
    }
  }
  const connectInfo = cmd.connectInfo === undefined ? null : cmd.connectInfo
  const peer = new Peer(socket, networks, connectInfo)
  peer.incoming = incoming
  peer.pxpGroup = cmd.group
  group.peers.add(peer)
  const id = trackPeer(cmd.group, peer, socket, { observePeerErrors: cmd.observePeerErrors !== false })
  peer.once('disconnect', () => group.peers.delete(peer))
  // Incoming relays (only when accepting) and connects the other side asks for become connections.
  peer.on('incoming', (stream) => emit('incomingRelay', { exchange: cmd.group, peer: id, conn: trackConn(cmd.group, stream, null) }))
  for (const network of cmd.networks) {
    peer.on('connect:' + network, (stream) => trackConn(cmd.group, stream, peer))
  }
  return id
}

function tcpCandidate ({ host, port, connectInfo }) {
  const candidate = function (cb) {
    const socket = net.connect(port, host || '127.0.0.1')
    socket.once('error', (err) => cb(err))
    socket.once('connect', () => cb(null, socket))
  }
  if (connectInfo) candidate.getConnectInfo = () => connectInfo
  return candidate
}

function trackCapture (socket, existingId) {
  const id = existingId || nextId++
  const entry = captures.get(id) || { server: null }
  entry.socket = socket
  captures.set(id, entry)
  socket.setNoDelay(true)
  socket.on('data', (chunk) => emit('captureData', { capture: id, data: chunk.toString('base64') }))
  socket.once('end', () => emit('captureEnd', { capture: id }))
  socket.once('close', () => emit('captureClose', { capture: id }))
  socket.on('error', (err) => emit('captureError', { capture: id, message: errorText(err) }))
  return id
}

// ---------------------------------------------------------------- command loop

function dispatch (line) {
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (err) {
    return emit('driverError', { message: 'unparsable command: ' + errorText(err) })
  }
  let replied = false
  const reply = (fields) => {
    if (replied) return
    replied = true
    send(Object.assign({ id: cmd.id, ok: true }, fields))
  }
  reply.fail = (message) => {
    if (replied) return
    replied = true
    send({ id: cmd.id, ok: false, error: message })
  }
  const handler = commands[cmd.cmd]
  if (!handler) return reply.fail('unknown command "' + cmd.cmd + '"')
  try {
    handler(cmd, reply)
  } catch (err) {
    reply.fail(errorText(err))
  }
}

let pending = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  pending += chunk
  let newline
  while ((newline = pending.indexOf('\n')) !== -1) {
    const line = pending.slice(0, newline).trim()
    pending = pending.slice(newline + 1)
    if (line) dispatch(line)
  }
})
// The test closed our stdin: it is done with us.
process.stdin.on('end', () => process.exit(0))

emit('ready', { node: process.versions.node })
