import type { Dispatcher } from 'undici'
import { openHttpClient } from '../client/http-client.js'
import { generatorTuning } from '../config.js'
import { encodeOutgoing } from '../protocol/messages.js'
import type { ClientContext, Sender } from '../transports/types.js'

const headers = { 'content-type': 'application/json' }

/**
 * userA's default way to send, the same for every transport: POST /messages on a connection of
 * its own, so its messages leave in order and no other sender can overtake them.
 *
 * Every POST goes on the wire when it is due, whatever the round trip: HTTP/1.1 pipelining on
 * that one connection (RFC 9112 §9.3.2), up to generatorTuning.maxSendPipelining in flight.
 * undici holds a POST back until the one before it is answered (it is neither idempotent nor
 * non-blocking by default), which over a 100 ms round trip paced a sender at 10 POSTs a second
 * and hid the queue; these POSTs are marked idempotent and non-blocking so they pipeline. One
 * connection keeps the order with no sequence numbers to reorder by, and the server handles a
 * connection's requests in the order they arrived. The price: if the connection drops, undici
 * sends the POSTs not yet answered again on a new one, and the run counts any message that
 * arrives twice as duplicated.
 *
 * Each send reports the moment undici wrote its request to the socket (the send lag is
 * measured there, not at the call), and whether it had to wait behind a full pipeline.
 */
export async function openPostSender(ctx: ClientContext): Promise<Sender> {
  const depth = generatorTuning.maxSendPipelining
  const client = openHttpClient(ctx.origin, ctx.wire, 0, ctx.access, depth)
  // Connect during set-up, like the receivers: left to the first POST, thousands of senders
  // would all connect within one send period, inside the schedule, and the backlog of that
  // storm would reach the measured window. Any answer will do (GET /messages is a 404), but a
  // refusal: past its connection cap the server answers 503, and every POST on it would fail.
  const ahead = await client.request({ method: 'GET', path: '/messages' })
  if (ahead.statusCode >= 500 || ahead.statusCode === 401) {
    const text = await ahead.body.text().catch(() => '')
    await client.close()
    throw new Error(`GET /messages answered ${ahead.statusCode}: ${text.slice(0, 200)}`)
  }
  await ahead.body.dump()
  let closed = false
  let inFlight = 0
  const failed = (err: unknown): void => {
    if (!closed) ctx.onError(err)
  }
  return {
    reportsWrites: true,
    send(recipient, data, written) {
      ctx.wire.requests++
      const queued = inFlight >= depth
      inFlight++
      post(client, encodeOutgoing(recipient, data), {
        written: (ms) => written?.(ms, queued),
        done: (err) => {
          inFlight--
          if (err !== undefined) failed(err)
        },
        now: ctx.now,
      })
    },
    async close() {
      closed = true
      await client.close()
    },
  }
}

interface PostCallbacks {
  written: (ms: number) => void
  done: (err?: unknown) => void
  now: () => number
}

/**
 * One pipelined POST /messages. A handler of undici's older shape: only it hears
 * onRequestSent, called once the request's bytes are written to the socket.
 */
function post(client: Dispatcher, body: string, { written, done, now }: PostCallbacks): void {
  let status = 0
  const handler = {
    onConnect: () => {},
    onRequestSent: () => written(now()),
    onHeaders: (statusCode: number) => {
      status = statusCode
      return true
    },
    onData: () => true,
    onComplete: () => done(status === 200 ? undefined : new Error(`POST /messages answered ${status}`)),
    onError: (err: Error) => done(err),
  }
  client.dispatch({ method: 'POST', path: '/messages', headers, body, idempotent: true, blocking: false }, handler)
}
