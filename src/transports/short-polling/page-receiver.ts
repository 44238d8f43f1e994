import type { PageReceiver } from '../page.js'

/**
 * userB in a browser page: fetch on a fixed-rate timer (poll k is due at phase + k·P on the
 * page's clock); a tick that finds the previous poll still out is skipped.
 */
export const shortPollingPageReceiver: PageReceiver = async (win, ctx, onData, onError) => {
  const interval = Number(ctx.settings.interval)
  const stop = new win.AbortController()
  let cursor = 0
  let inFlight = false
  let closed = false
  const poll = async (): Promise<void> => {
    inFlight = true
    try {
      const res = await win.fetch(`${ctx.origin}/short-polling/${ctx.user}?after=${cursor}`, { signal: stop.signal })
      if (res.status !== 200) throw new Error(`GET /short-polling/${ctx.user} answered ${res.status}`)
      const reply = (await res.json()) as { messages: { id: number; data: string }[] }
      for (const message of reply.messages) {
        cursor = message.id
        onData(message.data)
      }
    } catch (err) {
      if (!closed) onError(String(err))
    } finally {
      inFlight = false
    }
  }
  const first = win.performance.now() + ctx.phase * interval
  let due = first
  const tick = (): void => {
    if (closed) return
    if (!inFlight) void poll()
    due += interval
    timer = win.setTimeout(tick, Math.max(0, due - win.performance.now()))
  }
  let timer = win.setTimeout(tick, first - win.performance.now())
  return {
    close: () => {
      closed = true
      win.clearTimeout(timer)
      stop.abort()
    },
  }
}
