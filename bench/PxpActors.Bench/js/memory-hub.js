'use strict'
// A reference node that only accepts peers, for the memory-per-peer benchmark. Same line protocol
// as the C# hub role (Roles/MemoryHubRole.cs), so one orchestrator drives both.
//
// usage: node --expose-gc memory-hub.js                  (NODE_PATH must reach peer-exchange)
// stdout: {"listening":"tcp://127.0.0.1:PORT"} first, then one JSON object per command.
// stdin:  "measure <peers>"  wait until <peers> peers are connected with their application
//                            connection, collect garbage, reply {"peers","gcHeapBytes","workingSetBytes"}
//         "exit"

const net = require('net')
const readline = require('readline')
const Swarm = require('peer-exchange')

// The swarm insists on a WebRTC implementation; nothing is upgraded here, so a placeholder will do.
const exchange = new Swarm('bench', { wrtc: {} })
const connections = []
const waiters = []
exchange.on('connect', (conn) => {
  connections.push(conn)
  for (const waiter of waiters.splice(0)) waiter()
})
const listener = net.createServer((socket) => {
  socket.setNoDelay(true)
  exchange.accept(socket)
})

function send (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function arrived (peers) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('only ' + connections.length + ' of ' + peers + ' connections arrived')), 180000)
    const check = () => {
      if (connections.length >= peers && exchange.peers.length >= peers) {
        clearTimeout(timer)
        resolve()
      } else {
        waiters.push(check)
      }
    }
    check()
  })
}

async function measure (peers) {
  await arrived(peers)
  for (let i = 0; i < 4; i++) global.gc()
  const usage = process.memoryUsage()
  send({ peers: exchange.peers.length, gcHeapBytes: usage.heapUsed, workingSetBytes: usage.rss })
}

listener.listen(0, '127.0.0.1', () => {
  send({ listening: 'tcp://127.0.0.1:' + listener.address().port })
  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const [command, arg] = line.trim().split(/\s+/)
    if (command === 'measure') measure(parseInt(arg, 10)).catch((err) => send({ error: String(err) }))
    else if (command === 'exit') process.exit(0)
    else send({ error: 'unknown command ' + command })
  })
  lines.on('close', () => process.exit(0))
})
