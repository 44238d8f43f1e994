import type { ClientContext, Sender } from '../transports/types.js'
import { openHttpClient } from './http-client.js'

const headers = { 'content-type': 'application/json' }

/**
 * userA's default way to send, the same for every transport: POST /messages on a connection
 * of its own, so its messages leave in order and no other sender can overtake them.
 */
export function openPostSender(ctx: ClientContext): Sender {
  const client = openHttpClient(ctx.origin, ctx.wire, 0, ctx.access)
  let closed = false
  return {
    send(to, data) {
      ctx.wire.requests++
      client
        .request({ method: 'POST', path: '/messages', headers, body: JSON.stringify({ to, data }) })
        .then(async (res) => {
          await res.body.dump()
          if (res.statusCode !== 200) throw new Error(`POST /messages answered ${res.statusCode}`)
        })
        .catch((err: unknown) => {
          if (!closed) ctx.onError(err)
        })
    },
    async close() {
      closed = true
      await client.close()
    },
  }
}
