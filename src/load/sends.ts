import type { Window } from '../metrics/recorder.js'
import { seededRandom, staggerPeriodMs, type Random } from '../pacing/arrivals.js'
import { groupsOpened, rampsOf } from '../pacing/ramps.js'
import { sendTimes } from '../pacing/send-times.js'
import type { Instruments } from './instruments.js'
import { encodeMessage, paddingFor, stampTime } from './message.js'
import type { Workload } from './plan.js'
import type { Group } from './population.js'

/**
 * Queues every send of `groups` on the scheduler, from `t0` until the window's end. Each sender
 * follows its arrival process (and the stages' ramps), staggered by its group's share of one
 * period so they do not all send at once. A send is stamped with its due time, however late it
 * leaves, and counts once per receiver of its group: each must get it.
 */
export function scheduleSends(
  workload: Workload,
  groups: readonly Group[],
  { scheduler, recorder, clock }: Instruments,
  t0: number,
  window: Window,
): void {
  const { arrival } = workload
  const periodMs = staggerPeriodMs(arrival)
  const opened = groupsOpened(workload)
  const fanOut = workload.receivers ?? 1
  const seed = workload.seed ?? 1
  const maxBytes = workload.payloadMaxBytes ?? workload.payloadBytes
  const payloadSize = payloadSizes(workload.payloadBytes, maxBytes, seededRandom(seed))
  const padding = paddingFor(maxBytes)
  const ramps = rampsOf(workload)
  for (const group of groups) {
    const nextDue = sendTimes({
      arrival,
      random: seededRandom(seed + group.index + 1),
      startMs: t0 + (group.index / opened) * periodMs,
      windowStartMs: t0 + workload.warmupMs,
      endMs: window.endMs,
      group: group.index,
      ...ramps,
    })
    const sendAt = (seq: number, due: number): void => {
      const scheduledMs = stampTime(due)
      const data = encodeMessage({ pair: group.index, seq, scheduledMs }, padding, payloadSize())
      const { sender } = group
      // The lag is how late the message reached the socket: at the call unless the sender says when.
      if (sender.reportsWrites) {
        recorder.sent(scheduledMs, undefined, fanOut)
        sender.send(group.recipient, data, (writtenMs, queued) => recorder.written(scheduledMs, writtenMs, queued))
      } else {
        const sentMs = clock.now()
        sender.send(group.recipient, data)
        recorder.sent(scheduledMs, sentMs, fanOut)
      }
      const next = nextDue()
      if (next !== undefined) scheduler.at(next, () => sendAt(seq + 1, next))
    }
    const first = nextDue()
    if (first !== undefined) scheduler.at(first, () => sendAt(0, first))
  }
}

/** Payload sizes: fixed, or uniform over [min, max] bytes. */
function payloadSizes(minBytes: number, maxBytes: number, random: Random): () => number {
  if (maxBytes <= minBytes) return () => minBytes
  const span = maxBytes - minBytes + 1
  return () => minBytes + Math.floor(random() * span)
}
