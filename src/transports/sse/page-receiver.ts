import type { PageReceiver } from '../page.js'

/**
 * userB in a browser page: one EventSource. It reconnects by itself after a dropped stream
 * (sending Last-Event-ID, so nothing is lost); a stream the server refuses closes it for good.
 */
export const ssePageReceiver: PageReceiver = (win, ctx, onData, onError) =>
  new Promise((resolve, reject) => {
    const source = new win.EventSource(`${ctx.origin}/sse/${ctx.user}`)
    const closedForGood = 2
    let opened = false
    source.onmessage = (event) => onData(String(event.data))
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
