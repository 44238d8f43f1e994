import { generatorTuning } from '../config.js'
import type { Window } from '../metrics/recorder.js'
import type { Instruments } from './instruments.js'

/** How often the drain looks whether the last messages have arrived. */
const checkEveryMs = 10

/**
 * After the window: waits until every message sent has arrived once. A backlog still draining
 * is waited for (up to `drainMaxMs` past the window's end), so its messages count as late, with
 * their true latency, not as lost; once nothing has arrived for a quiet spell (two poll
 * gaps longer for polls still out: `pollGapMs`, 0 for transports that do not poll on a timer), the rest are lost.
 */
export async function drain({ recorder, clock, scheduler }: Instruments, pollGapMs: number, window: Window): Promise<void> {
  const quietMs = generatorTuning.drainMs + 2 * pollGapMs
  const deadlineMs = window.endMs + generatorTuning.drainMaxMs
  const recorded = recorder.recorded
  let seen = recorded.deliveredTotal
  let lastArrivalMs = clock.now()
  while (recorded.deliveredTotal < recorded.sentTotal && clock.now() < deadlineMs && clock.now() - lastArrivalMs < quietMs) {
    await scheduler.sleep(checkEveryMs)
    if (recorded.deliveredTotal !== seen) {
      seen = recorded.deliveredTotal
      lastArrivalMs = clock.now()
    }
  }
}
