import { openHttpClient } from '../client/http-client.js'
import { encodeOutgoing } from '../protocol/messages.js'
import type { ClientContext, Sender } from '../transports/types.js'

const headers = { 'content-type': 'application/json' }

/**
 * userA's default way to send, the same for every transport: POST /messages on a connection
 * of its own, so its messages leave in order and no other sender can overtake them. With
 * `pipelining` above 1, a burst leaves back to back instead of one round trip apart (HTTP/1.1
 * pipelining keeps the order).
 */
export async function openPostSender(ctx: ClientContext, pipelining = 1): Promise<Sender> {
  const client = openHttpClient(ctx.origin, ctx.wire, 0, ctx.access, pipelining)
  // Connect during set-up, like the receivers: left to the first POST, thousands of senders
  // would all connect within one send period, inside the schedule, and the backlog of that
  // storm would reach the measured window. Any answer will do (GET /messages is a 404).
  const ahead = await client.request({ method: 'GET', path: '/messages' })
  await ahead.body.dump()
  let closed = false
  return {
    send(recipient, data) {
      ctx.wire.requests++
      client
        .request({ method: 'POST', path: '/messages', headers, body: encodeOutgoing(recipient, data) })
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
