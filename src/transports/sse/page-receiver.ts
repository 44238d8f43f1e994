import type { PageReceiver } from '../page.js'

/**
 * userB in a browser page: one EventSource. It reconnects by itself after a dropped stream
 * (sending Last-Event-ID, so nothing is lost); a stream the server refuses closes it for good.
 * Data holding a CR comes as `event: json` with a JSON string as its data (event-stream.ts),
 * since an event stream cannot carry a CR: it is listened to beside the default messages and
 * decoded back; data that does not parse as a JSON string is handed on as it came.
 */
export const ssePageReceiver: PageReceiver = (win, ctx, onData, onError) =>
  new Promise((resolve, reject) => {
    const source = new win.EventSource(`${ctx.origin}/sse/${ctx.user}`)
    const closedForGood = 2
    let opened = false
    source.onmessage = (event) => onData(String(event.data))
    source.addEventListener('json', (event) => {
      const data = String(event.data)
      try {
        const value: unknown = JSON.parse(data)
        onData(typeof value === 'string' ? value : data)
      } catch {
        onData(data)
      }
    })
    source.onopen = () => {
      if (opened) return
      opened = true
      resolve({ close: () => source.close() })
    }
    source.onerror = () => {
      if (!opened && source.readyState === closedForGood) reject(new Error(`GET /sse/${ctx.user} was refused`))
      else if (opened)
        onError(`the event stream of ${ctx.user} dropped${source.readyState === closedForGood ? ' for good' : '; reconnecting'}`)
    }
  })
