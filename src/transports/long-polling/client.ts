import { getJson, openHttpClient } from '../../load/http-client.js'
import type { PollReply } from '../../server/schemas.js'
import type { ClientContext, Receiver } from '../types.js'

/** userB re-polls the moment an answer arrives, so a request is parked nearly all the time. */
export async function openLongPollingReceiver(ctx: ClientContext, onData: (data: string) => void): Promise<Receiver> {
  const hold = ctx.settings.longPollTimeoutMs
  const client = openHttpClient(ctx.origin, ctx.wire, hold)
  let cursor = 0
  let closed = false

  const loop = async (): Promise<void> => {
    // Bounded by close(): the run closes every receiver when it ends.
    while (!closed) {
      const reply = await getJson<PollReply>(client, ctx.wire, `/long-polling/${ctx.user}?after=${cursor}&timeout=${hold}`)
      for (const message of reply.messages) {
        cursor = message.id
        onData(message.data)
      }
    }
  }
  const running = loop().catch((err: unknown) => {
    if (!closed) ctx.onError(err)
  })

  return {
    async close() {
      closed = true
      await client.destroy()
      await running
    },
  }
}
