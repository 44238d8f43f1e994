import { arrivals, rampableRate, type ArrivalProcess, type Random } from './arrivals.js'
import { activationAt, isActive, timeAfterCount, type Profile } from './stages.js'

/** Everything that decides when one sender's messages are due, on the generator's clock (ms). */
export interface SenderTimes {
  arrival: ArrivalProcess
  random: Random
  /** The sender's own start: its first due time at a fixed rate, staggered from the others. */
  startMs: number
  /** Where stage time 0 falls: the start of the measured window. */
  windowStartMs: number
  /** No message is due at or after this. */
  endMs: number
  /** This sender's group, from 0: it sends while it is below the active count. */
  group: number
  /** The per-sender rate over time, when stages change it (constant or Poisson arrivals only). */
  rate?: Profile
  /** The number of sending groups over time, when stages change it. */
  groups?: Profile
}

/**
 * Successive due times of one sender, undefined once none is left before `endMs`. Pure and
 * exact: the generator stamps each message with the time returned, however late it runs.
 *
 * At a fixed rate the arrival process's own offsets are used (no drift). When stages change
 * the rate, the next message is due when the rate integrated since the last send reaches one
 * message (constant arrivals) or an Exp(1) draw (Poisson), so a ramp sends exactly what its
 * area says. While the sender's group is
 * inactive, the next due time is its next activation (or, at a fixed rate, the first offset
 * from then on, which keeps constant and burst phases intact).
 */
export function sendTimes(s: SenderTimes): () => number | undefined {
  const candidate = s.rate === undefined ? offsetsFrom(s) : rampedFrom(s, s.rate)
  const { groups } = s
  return () => {
    let due = candidate.next()
    // Each pass moves past one inactive stretch; there are fewer of those than stage corners.
    for (let pass = 0; groups !== undefined && pass <= groups.points.length && due < s.endMs; pass++) {
      if (isActive(groups, s.group, due - s.windowStartMs)) break
      const active = activationAt(groups, s.group, due - s.windowStartMs)
      if (active === undefined) return undefined
      due = candidate.skipTo(s.windowStartMs + active)
    }
    return due < s.endMs ? due : undefined
  }
}

/** Candidate due times: `next` after the last, or the first at or after a time (`skipTo`). */
interface Candidates {
  next(): number
  skipTo(ms: number): number
}

function offsetsFrom(s: SenderTimes): Candidates {
  const offset = arrivals(s.arrival, s.random)
  const next = (): number => s.startMs + offset()
  return {
    next,
    skipTo: (ms) => {
      // Offsets grow by at least one period per burst or 1/rate per message, so this ends within the window.
      let due = next()
      while (due < ms && due < s.endMs) due = next()
      return due
    },
  }
}

function rampedFrom(s: SenderTimes, rate: Profile): Candidates {
  if (rampableRate(s.arrival) === undefined) throw new Error(`${s.arrival.kind} have no rate to ramp`)
  const poisson = s.arrival.kind === 'poisson'
  let last: number | undefined
  // Constant: one message per unit of integrated rate; Poisson: Exp(1) units (time rescaling of a non-homogeneous process).
  const after = (ms: number): number =>
    s.windowStartMs + timeAfterCount(rate, ms - s.windowStartMs, poisson ? -Math.log(1 - s.random()) : 1)
  return {
    // As at a fixed rate: a constant sender's first message is due at its start, a Poisson one's a gap later.
    next: () => (last = last === undefined ? (poisson ? after(s.startMs) : s.startMs) : after(last)),
    // A group that becomes active sends at once.
    skipTo: (ms) => (last = ms),
  }
}
