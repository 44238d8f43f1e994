import type { PageReceiver } from '../page.js'

/** userB in a browser page: one WebSocket, each text frame a message. */
export const websocketPageReceiver: PageReceiver = (win, ctx, onData, onError) =>
  new Promise((resolve, reject) => {
    const ws = new win.WebSocket(`${ctx.origin.replace(/^http/, 'ws')}/websocket/${ctx.user}`)
    let opened = false
    let closing = false
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') onData(event.data)
    }
    ws.onopen = () => {
      opened = true
      resolve({
        close: () => {
          closing = true
          ws.close(1000)
        },
      })
    }
    ws.onclose = ({ code, reason }) => {
      if (!opened) reject(new Error(`GET /websocket/${ctx.user} did not upgrade (close ${code})`))
      else if (!closing) onError(`socket of ${ctx.user} closed ${code} ${reason}`)
    }
  })
