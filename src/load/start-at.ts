import { performance } from 'node:perf_hooks'
import { ExitCode, UserError } from '../errors.js'

/**
 * The schedule's start at a shared wall-clock instant (`run --start-at`), on this process's
 * monotonic clock: machines that agree on the time start their warm-ups together. Each
 * process converts once, through its own time origin; from then on only the monotonic clock
 * counts, so latencies never mix two machines' clocks. Rejects, in one line, when the instant
 * has passed by the time every user is open: a late shard would measure another window.
 */
export function startAtInstant(epochMs: number): () => Promise<number> {
  return () => {
    const startMs = epochMs - wallClockOffsetMs()
    const lateMs = performance.now() - startMs
    if (lateMs <= 0) return Promise.resolve(startMs)
    const message = `--start-at ${new Date(epochMs).toISOString()}: passed ${Math.round(lateMs)} ms before every user was open; give a later instant`
    return Promise.reject(new UserError(message, ExitCode.RuntimeFailure))
  }
}

/** Now on this machine's wall clock, in epoch ms with sub-millisecond resolution (as --start-at is converted). */
export function wallClockMs(): number {
  return wallClockOffsetMs() + performance.now()
}

let offsetMs: number | undefined

/**
 * Wall clock minus monotonic clock, read once per process at the instant Date.now() ticks to
 * its next millisecond, so the offset is good to microseconds rather than to Date.now()'s whole
 * milliseconds (or to the process's time origin, which the wall clock may have slewed from
 * since). Waits at most a few milliseconds.
 */
function wallClockOffsetMs(): number {
  if (offsetMs !== undefined) return offsetMs
  const first = Date.now()
  let tick = first
  let mono = performance.now()
  const giveUpAt = mono + 5
  while (tick === first && mono < giveUpAt) {
    tick = Date.now()
    mono = performance.now()
  }
  offsetMs = tick - mono
  return offsetMs
}
