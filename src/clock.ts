import { performance } from 'node:perf_hooks'

/** Where a generator reads the time: monotonic milliseconds. Tests pass a fake one, to drive pacing in fake time. */
export interface Clock {
  now(): number
}

/**
 * The one clock of a load-generator process: monotonic milliseconds with sub-microsecond
 * resolution. userA's schedule and userB's receipt are both read from it, so their
 * difference is a latency no wall-clock adjustment can distort.
 */
export const monotonicClock: Clock = { now: performance.now.bind(performance) }

/** Milliseconds to integer microseconds, the unit the latency histograms record. */
export function msToUs(ms: number): number {
  return Math.max(0, Math.round(ms * 1000))
}
