import { getJson, openHttpClient } from '../../client/http-client.js'
import type { PollReply } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import type { LongPollingSettings } from './settings.js'

const retryPauseMs = 100

/** userB re-polls the moment an answer arrives, so a request is parked nearly all the time. */
export async function openLongPollingReceiver(ctx: ClientContext<LongPollingSettings>, onData: OnData): Promise<Receiver> {
  const hold = ctx.settings.hold
  const client = openHttpClient(ctx.origin, ctx.wire, hold, ctx.access)
  let cursor = 0
  let closed = false

  const poll = async (): Promise<void> => {
    const reply = await getJson<PollReply>(client, ctx.wire, `/long-polling/${ctx.user}?after=${cursor}&timeout=${hold}`)
    for (const message of reply.messages) {
      cursor = message.id
      onData(message.data, ctx.now())
    }
  }
  // Bounded by close(): the run closes every receiver when it ends. A failed poll is counted
  // and retried after a pause, as a browser would; the cursor makes the retry lose nothing.
  const running = (async () => {
    while (!closed) {
      await poll().catch(async (err: unknown) => {
        if (closed) return
        ctx.onError(err)
        await new Promise((resolve) => setTimeout(resolve, retryPauseMs))
      })
    }
  })()

  return {
    async close() {
      closed = true
      await client.destroy()
      await running
    },
  }
}
