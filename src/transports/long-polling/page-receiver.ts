import type { PageReceiver } from '../page.js'

/** userB in a browser page: fetch re-polls the moment an answer arrives; a failed poll is retried after a pause. */
export const longPollingPageReceiver: PageReceiver = async (win, ctx, onData, onError) => {
  const hold = Number(ctx.settings.hold)
  const stop = new win.AbortController()
  let cursor = 0
  let closed = false
  const poll = async (): Promise<void> => {
    const res = await win.fetch(`${ctx.origin}/long-polling/${ctx.user}?after=${cursor}&timeout=${hold}`, { signal: stop.signal })
    if (res.status !== 200) throw new Error(`GET /long-polling/${ctx.user} answered ${res.status}`)
    const reply = (await res.json()) as { messages: { id: number; data: string }[] }
    for (const message of reply.messages) {
      cursor = message.id
      onData(message.data)
    }
  }
  // Bounded by close(), which the run calls when it ends.
  void (async () => {
    while (!closed) {
      await poll().catch(async (err: unknown) => {
        if (closed) return
        onError(String(err))
        await new Promise<void>((resolve) => win.setTimeout(resolve, 100))
      })
    }
  })()
  return {
    close: () => {
      closed = true
      stop.abort()
    },
  }
}
