/**
 * When a sender's messages are due, as offsets in ms from the sender's start. Pure: the same
 * process and random source always give the same times, so a run can be repeated exactly.
 */

/** How a sender's messages arrive over time. */
export type ArrivalProcess =
  | { kind: 'constant'; ratePerSec: number }
  | { kind: 'poisson'; ratePerSec: number }
  /** `size` messages spread evenly over `withinMs`, a burst starting every `everyMs`. */
  | { kind: 'bursts'; size: number; withinMs: number; everyMs: number }

/** Yields successive due offsets (ms, non-decreasing) of one sender. */
export type Arrivals = () => number

/** A uniform random number in [0, 1). */
export type Random = () => number

export function arrivals(process: ArrivalProcess, random: Random): Arrivals {
  switch (process.kind) {
    case 'constant':
      return constant(1000 / process.ratePerSec)
    case 'poisson':
      return poisson(1000 / process.ratePerSec, random)
    case 'bursts':
      return bursts(process.size, process.withinMs, process.everyMs)
  }
}

/** Mean messages per second of a process, for capacity checks and the report. */
export function meanRatePerSec(process: ArrivalProcess): number {
  return process.kind === 'bursts' ? (1000 * process.size) / process.everyMs : process.ratePerSec
}

/**
 * The rate stages may ramp (messages per second per sender), or undefined for bursts, whose
 * size and period set theirs.
 */
export function rampableRate(process: ArrivalProcess): number | undefined {
  return process.kind === 'bursts' ? undefined : process.ratePerSec
}

/**
 * The period over which senders start staggered, so they do not all send at once: one gap at a
 * constant rate, one burst period for bursts; 0 for Poisson senders, already spread at random.
 */
export function staggerPeriodMs(process: ArrivalProcess): number {
  return process.kind === 'bursts' ? process.everyMs : process.kind === 'constant' ? 1000 / process.ratePerSec : 0
}

/** Messages that leave one sender back to back: a burst must reach the server as a burst, not one round trip apart. */
export function backToBack(process: ArrivalProcess): number {
  return process.kind === 'bursts' ? process.size : 1
}

/** `constant 10/s`, `poisson 0.0167/s`, `bursts of 50 in 10ms every 1s`: for reports. */
export function describeArrival(process: ArrivalProcess): string {
  if (process.kind === 'bursts') return `bursts of ${process.size} in ${process.withinMs}ms every ${process.everyMs}ms`
  return `${process.kind} ${Number(process.ratePerSec.toPrecision(4))}/s`
}

/** Message n at n·interval, computed from n so rounding never drifts. */
function constant(intervalMs: number): Arrivals {
  let n = 0
  return () => n++ * intervalMs
}

/** Exponential gaps of mean `meanGapMs`; the first message too waits one gap. */
function poisson(meanGapMs: number, random: Random): Arrivals {
  let t = 0
  return () => {
    t += -Math.log(1 - random()) * meanGapMs
    return t
  }
}

function bursts(size: number, withinMs: number, everyMs: number): Arrivals {
  const stepMs = size > 1 ? withinMs / (size - 1) : 0
  let n = 0
  return () => {
    const burst = Math.floor(n / size)
    const k = n++ % size
    return burst * everyMs + k * stepMs
  }
}

/**
 * mulberry32: a small, fast, seedable generator, good enough to spread arrivals and payload
 * sizes (not for anything secret). Seeded, so a scenario's run repeats exactly.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
