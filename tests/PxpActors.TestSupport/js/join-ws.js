'use strict'
// The README's quick start: the JS reference (peer-exchange@2.2.0) joins a PXP node over WebSocket through its own
// transport, websocket-stream, writes TEXT on the application connection and prints what comes back, then leaves.
//
//   node join-ws.js ws://HOST:PORT/PATH [TEXT] [NETWORK]
//
// Prints "connected", then every chunk received as "received: ..."; exits 0 once TEXT has come back (an echoing node),
// 1 on an error or after 20 s.

const Swarm = require('peer-exchange')
const websocket = require('websocket-stream')
const wrtc = require('@roamhq/wrtc')

const [url, text = 'hello from js', network = 'pxp-demo'] = process.argv.slice(2)
if (!url) {
  console.error('usage: node join-ws.js ws://HOST:PORT/PATH [TEXT] [NETWORK]')
  process.exit(2)
}

const swarm = new Swarm(network, { wrtc })
const socket = websocket(url)
const fail = (err) => {
  console.error('error: ' + (err && err.message ? err.message : err))
  process.exit(1)
}
socket.once('error', fail)
socket.once('connect', () => {
  swarm.connect(socket, (err, connection) => {
    if (err) return fail(err)
    console.log('connected')
    let received = ''
    connection.on('data', (chunk) => {
      console.log('received: ' + chunk.toString('utf8'))
      received += chunk.toString('utf8')
      if (received.includes(text)) {
        swarm.close()
        process.exit(0)
      }
    })
    connection.write(text)
  })
})
setTimeout(() => fail('nothing came back within 20 s'), 20000).unref()
