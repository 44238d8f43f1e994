import { getPoll, openHttpClient, ReplaceableClient, type PollGuard } from '../../client/http-client.js'
import { InstanceCursor } from '../../client/instance-cursor.js'
import { AnswerDeadline, handshakeRttsOf, loopbackPath } from '../../client/silence.js'
import { instanceHeader, type PollReply } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import type { LongPollingSettings } from './settings.js'

const retryPauseMs = 100

/**
 * userB re-polls the moment an answer arrives, so a request is parked nearly all the time. With
 * `depth` N it keeps N polls outstanding, pipelined on its one HTTP/1.1 connection: when an
 * answer arrives the next poll goes at once with the cursor it brought, so one stays parked at
 * the server while the other's answer and successor travel. Answers on one connection arrive in
 * order, and the server answers pipelined polls from the connection's watermark (watermark.ts).
 * Over HTTP/2 streams are answered in any order, so the receiver keeps one poll there.
 */
export async function openLongPollingReceiver(ctx: ClientContext<LongPollingSettings>, onData: OnData): Promise<Receiver> {
  const hold = ctx.settings.hold
  // Settings written before the depth was one (a caller's own) poll classically.
  const asked = (ctx.settings.depth as number | undefined) ?? 1
  const depth = ctx.access?.http2 === true ? 1 : asked
  const client = new ReplaceableClient(() => openHttpClient(ctx.origin, ctx.wire, hold, ctx.access, depth), ctx.access?.http2 === true)
  // The hold is a long poll's heartbeat: a parked poll answers (empty) when it ends. Unanswered
  // a round trip and a margin after that, its connection is silent (half-open) and is dropped.
  const path = ctx.silence ?? loopbackPath
  const guard: PollGuard = {
    client,
    deadline: new AnswerDeadline(hold, hold, path, handshakeRttsOf(ctx.origin)),
    onSilent: path.onSilent,
    measuresRoundTrip: false,
  }
  const at = new InstanceCursor()
  let failed = false
  let closed = false

  const poll = async (): Promise<void> => {
    let writes = 0
    const reply = await getPoll<PollReply>(
      guard,
      ctx.wire,
      `/long-polling/${ctx.user}?${at.query()}&timeout=${hold}`,
      (headers) => at.answeredBy(headers[instanceHeader]),
      { pipelined: depth > 1, onWrite: () => writes++ },
    )
    // A poll that answers after failed ones is the receiver back: it goes on from its cursor.
    if (failed) ctx.wire.reconnects++
    failed = false
    for (const message of reply.messages) {
      // Written again on a new connection (its first one died behind an older poll), a pipelined
      // poll carries the cursor it was first sent with: what answers read since brought is not news.
      if (writes > 1 && message.id <= at.cursor) continue
      at.cursor = message.id
      onData(message.data, ctx.now())
    }
  }
  // Bounded by close(): the run closes every receiver when it ends. A failed poll is counted
  // and retried after a pause, as a browser would; the cursor makes the retry lose nothing.
  const lane = async (): Promise<void> => {
    while (!closed) {
      await poll().catch(async (err: unknown) => {
        if (closed) return
        failed = true
        ctx.onError(err)
        await new Promise((resolve) => setTimeout(resolve, retryPauseMs))
      })
    }
  }
  const running = Promise.all(Array.from({ length: depth }, lane))

  return {
    async close() {
      closed = true
      await client.close()
      await running
    },
  }
}
