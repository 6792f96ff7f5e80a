namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// The page Chromium loads from the test's HTTP server: one RTCPeerConnection that offers (creating the
/// channel) or answers (accepting it), echoes every message it receives, and exchanges simple-peer shaped
/// signals with the test: POST /signal to send one (posts are chained, so they arrive in order), GET /next
/// long-polls for the next one of ours (204 ends it). POST /event reports channel and connection events.
/// </summary>
internal static class ChromiumPage
{
    public const string Html = """
        <!doctype html>
        <meta charset="utf-8">
        <title>pxp data channel echo</title>
        <script>
        'use strict'
        const role = new URLSearchParams(location.search).get('role')
        let chain = Promise.resolve()
        const post = (path, body) => (chain = chain.then(() => fetch(path, { method: 'POST', body: JSON.stringify(body) })))
        const report = (event, fields) => post('/event', Object.assign({ event }, fields || {}))
        const pc = new RTCPeerConnection()
        pc.onicecandidate = (e) => {
          if (e.candidate && e.candidate.candidate) {
            post('/signal', { candidate: { candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex, sdpMid: e.candidate.sdpMid } })
          }
        }
        pc.onconnectionstatechange = () => report('connectionState', { state: pc.connectionState })
        function echo (dc) {
          dc.binaryType = 'arraybuffer'
          dc.onopen = () => report('channel', { state: 'open', label: dc.label })
          dc.onclose = () => report('channel', { state: 'closed', label: dc.label })
          dc.onmessage = (e) => dc.send(e.data)
        }
        pc.ondatachannel = (e) => echo(e.channel)
        async function receiveSignals () {
          for (;;) {
            const response = await fetch('/next')
            if (response.status !== 200) return
            const signal = await response.json()
            if (signal.type) {
              await pc.setRemoteDescription(signal)
              if (signal.type === 'offer') {
                await pc.setLocalDescription()
                post('/signal', { type: pc.localDescription.type, sdp: pc.localDescription.sdp })
              }
            } else if (signal.candidate) {
              await pc.addIceCandidate(signal.candidate)
            }
          }
        }
        (async () => {
          try {
            if (role === 'offer') {
              echo(pc.createDataChannel('chromium'))
              await pc.setLocalDescription()
              post('/signal', { type: 'offer', sdp: pc.localDescription.sdp })
            }
            await receiveSignals()
          } catch (err) {
            report('error', { message: String(err) })
          }
        })()
        </script>
        """;
}
