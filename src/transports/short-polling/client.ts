import { getPoll, openHttpClient, ReplaceableClient, type PollGuard } from '../../client/http-client.js'
import { InstanceCursor } from '../../client/instance-cursor.js'
import { AnswerDeadline, handshakeRttsOf, loopbackPath } from '../../client/silence.js'
import { instanceHeader, type PollReply } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import type { ShortPollingSettings } from './settings.js'

/**
 * userB polls on a fixed-rate timer (poll k starts at phase·P + k·P on the generator's clock, whatever the previous
 * one took), so latency is one round trip plus U(0, P). A tick that finds the previous poll
 * still out is skipped rather than queued behind it.
 */
export async function openShortPollingReceiver(ctx: ClientContext<ShortPollingSettings>, onData: OnData): Promise<Receiver> {
  const client = new ReplaceableClient(() => openHttpClient(ctx.origin, ctx.wire, 0, ctx.access), ctx.access?.http2 === true)
  const interval = ctx.settings.interval
  // A poll is answered at once: unanswered a round trip and a margin after it was written, its
  // connection is silent (half-open), and is dropped so the next tick opens a new one.
  const path = ctx.silence ?? loopbackPath
  const guard: PollGuard = {
    client,
    deadline: new AnswerDeadline(0, interval, path, handshakeRttsOf(ctx.origin)),
    onSilent: path.onSilent,
    measuresRoundTrip: true,
  }
  const at = new InstanceCursor()
  let failed = false
  let inFlight = false
  let closed = false

  const poll = async (): Promise<void> => {
    inFlight = true
    try {
      const reply = await getPoll<PollReply>(guard, ctx.wire, `/short-polling/${ctx.user}?${at.query()}`, (headers) =>
        at.answeredBy(headers[instanceHeader]),
      )
      // A poll that answers after failed ones is the receiver back: it goes on from its cursor.
      if (failed) ctx.wire.reconnects++
      failed = false
      for (const message of reply.messages) {
        at.cursor = message.id
        onData(message.data, ctx.now())
      }
    } catch (err) {
      failed = true
      if (!closed) ctx.onError(err)
    } finally {
      inFlight = false
    }
  }

  const tick = (due: number): void => {
    if (closed) return
    if (!inFlight) void poll()
    ctx.scheduler.at(due + interval, () => tick(due + interval))
  }
  // On a grid anchored to the clock (poll k at phase·P + k·P), not to the moment this receiver
  // opened: opening times cannot shift the phases the generator chose.
  const now = ctx.now()
  const first = now + (((((ctx.phase ?? Math.random()) * interval - now) % interval) + interval) % interval)
  ctx.scheduler.at(first, () => tick(first))

  return {
    async close() {
      closed = true
      await client.close()
    },
  }
}
