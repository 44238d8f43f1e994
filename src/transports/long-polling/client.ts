import { getJson, openHttpClient } from '../../client/http-client.js'
import { InstanceCursor } from '../../client/instance-cursor.js'
import { instanceHeader, type PollReply } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import type { LongPollingSettings } from './settings.js'

const retryPauseMs = 100

/** userB re-polls the moment an answer arrives, so a request is parked nearly all the time. */
export async function openLongPollingReceiver(ctx: ClientContext<LongPollingSettings>, onData: OnData): Promise<Receiver> {
  const hold = ctx.settings.hold
  const client = openHttpClient(ctx.origin, ctx.wire, hold, ctx.access)
  const at = new InstanceCursor()
  let failed = false
  let closed = false

  const poll = async (): Promise<void> => {
    const reply = await getJson<PollReply>(client, ctx.wire, `/long-polling/${ctx.user}?${at.query()}&timeout=${hold}`, (headers) =>
      at.answeredBy(headers[instanceHeader]),
    )
    // A poll that answers after failed ones is the receiver back: it goes on from its cursor.
    if (failed) ctx.wire.reconnects++
    failed = false
    for (const message of reply.messages) {
      at.cursor = message.id
      onData(message.data, ctx.now())
    }
  }
  // Bounded by close(): the run closes every receiver when it ends. A failed poll is counted
  // and retried after a pause, as a browser would; the cursor makes the retry lose nothing.
  const running = (async () => {
    while (!closed) {
      await poll().catch(async (err: unknown) => {
        if (closed) return
        failed = true
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
