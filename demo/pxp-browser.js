// The browser build's entry: the reference as published (peer-exchange uses the browser's own WebRTC through
// get-browser-rtc) and websocket-stream (the browser's WebSocket), exposed as window.PxpBrowser.
module.exports = {
  Exchange: require('peer-exchange'),
  websocket: require('websocket-stream'),
  Buffer: require('buffer').Buffer
}
