import { getJson, openHttpClient } from '../../client/http-client.js'
import type { PollReply } from '../../protocol/schemas.js'
import type { ClientContext, OnData, Receiver } from '../types.js'
import type { ShortPollingSettings } from './settings.js'

/**
 * userB polls on a fixed-rate timer (poll k starts at phase·P + k·P on the generator's clock, whatever the previous
 * one took), so latency is one round trip plus U(0, P). A tick that finds the previous poll
 * still out is skipped rather than queued behind it.
 */
export async function openShortPollingReceiver(ctx: ClientContext<ShortPollingSettings>, onData: OnData): Promise<Receiver> {
  const client = openHttpClient(ctx.origin, ctx.wire, 0, ctx.access)
  const interval = ctx.settings.interval
  let cursor = 0
  let inFlight = false
  let closed = false

  const poll = async (): Promise<void> => {
    inFlight = true
    try {
      const reply = await getJson<PollReply>(client, ctx.wire, `/short-polling/${ctx.user}?after=${cursor}`)
      for (const message of reply.messages) {
        cursor = message.id
        onData(message.data, ctx.now())
      }
    } catch (err) {
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
      await client.destroy()
    },
  }
}
