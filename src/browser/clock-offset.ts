import type { Clock } from '../clock.js'

/** How far a page's clock is ahead of the generator's, and within how much that is known. */
export interface ClockOffset {
  offsetMs: number
  /** Half the round trip of the exchange the offset came from: the most the offset can be wrong by. */
  uncertaintyMs: number
}

/** Exchanges per measurement; the one with the shortest round trip is kept. */
const exchanges = 15

/**
 * NTP's exchange over the page's channel: read the generator's clock, ask the page for its
 * clock, read the generator's again. The page read its clock somewhere in between, so taking
 * the midpoint errs by at most half the round trip; the shortest of several round trips wins.
 */
export async function measureClockOffset(clock: Clock, readPage: () => Promise<number>): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY }
  for (let i = 0; i < exchanges; i++) {
    const before = clock.now()
    const page = await readPage()
    const after = clock.now()
    const half = (after - before) / 2
    if (half < best.uncertaintyMs) best = { offsetMs: page - (before + half), uncertaintyMs: half }
  }
  return best
}
