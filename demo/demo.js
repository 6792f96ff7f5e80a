// The demo page: the reference's browser build (window.PxpBrowser) joins the host that served this page over
// WebSocket, lists its peers (a PxpActors node says so in its hello: connectInfo.nodeId), meets more peers with
// getNewPeer (WebRTC), and chats over every application connection.
'use strict'
const { Exchange, websocket, Buffer } = window.PxpBrowser
const $ = (id) => document.getElementById(id)
const connections = new Set()

function log (line) {
  const log = $('log')
  log.textContent += line + '\n'
  log.scrollTop = log.scrollHeight
}

function transportOf (peer) {
  const socket = peer.socket
  if (socket && socket._pc) return 'WebRTC'
  if (peer.relayed) return 'relay'
  return 'WebSocket'
}

function describe (peer) {
  const info = peer.remoteConnectInfo
  return info && info.nodeId ? { kind: '.NET node', css: 'dotnet', id: info.nodeId } : { kind: 'JavaScript peer', css: 'js', id: '' }
}

function showPeers (exchange) {
  const list = $('peers')
  list.textContent = ''
  for (const peer of exchange.peers) {
    const who = describe(peer)
    const item = document.createElement('li')
    item.className = who.css
    item.innerHTML = '<span class="kind"></span> <span class="id"></span><div class="via"></div>'
    item.querySelector('.kind').textContent = who.kind
    item.querySelector('.id').textContent = who.id
    item.querySelector('.via').textContent = 'over ' + transportOf(peer) + (peer.incoming ? ', incoming' : '')
    list.appendChild(item)
  }
  if (exchange.peers.length === 0) list.innerHTML = '<li>none yet</li>'
}

function attach (stream, peer) {
  if (connections.has(stream)) return
  connections.add(stream)
  const who = describe(peer || stream.pxpPeer || {})
  stream.on('data', (data) => log(who.kind + ': ' + data.toString('utf8')))
  stream.on('close', () => connections.delete(stream))
  stream.on('error', () => connections.delete(stream))
}

async function main () {
  const config = await (await fetch('pxp-demo.json')).json()
  const exchange = new Exchange(config.network, { rtcConfig: { iceServers: [] } })
  exchange.on('peer', () => showPeers(exchange))
  exchange.on('disconnect', () => showPeers(exchange))
  exchange.on('connect', (stream, peer) => attach(stream, peer))
  exchange.on('error', (err) => log('error: ' + err.message))
  // A host listening on every interface (0.0.0.0) is reached at the address this page came from.
  const url = config.connect[0].replace(/\/\/(0\.0\.0\.0|\[::\])(?=[:/])/, '//' + location.hostname)
  $('status').textContent = 'connecting to ' + url + ' (network ' + config.network + ')…'
  exchange.connect(websocket(url), (err) => {
    $('status').textContent = err ? 'could not connect to ' + url + ': ' + err.message : 'connected to ' + url + ' (network ' + config.network + ')'
    showPeers(exchange)
  })
  $('meet').onclick = () => exchange.getNewPeer((err) => log(err ? 'getNewPeer: ' + err.message : 'met a new peer'))
  $('chat').onsubmit = (e) => {
    e.preventDefault()
    const text = $('text').value
    if (!text) return
    for (const stream of connections) stream.write(Buffer.from(text, 'utf8'))
    log('me: ' + text)
    $('text').value = ''
  }
}

main().catch((err) => { $('status').textContent = 'error: ' + err.message })
