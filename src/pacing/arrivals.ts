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
  return traitsOf(process).arrivals(random)
}

/** Mean messages per second of a process, for capacity checks and the report. */
export function meanRatePerSec(process: ArrivalProcess): number {
  return traitsOf(process).meanRatePerSec
}

/** The rate stages may ramp (messages per second per sender), or undefined when the process has none (bursts). */
export function rampableRate(process: ArrivalProcess): number | undefined {
  return traitsOf(process).rampableRate
}

/** The period over which senders start staggered, so they do not all send at once (0: already spread at random). */
export function staggerPeriodMs(process: ArrivalProcess): number {
  return traitsOf(process).staggerPeriodMs
}

/** Messages that leave one sender back to back: a burst must reach the server as a burst, not one round trip apart. */
export function backToBack(process: ArrivalProcess): number {
  return traitsOf(process).backToBack
}

/** `constant 10/s`, `poisson 0.0167/s`, `bursts of 50 in 10ms every 1s`: for reports. */
export function describeArrival(process: ArrivalProcess): string {
  return traitsOf(process).description
}

/** Everything the generator and the report ask of one kind of process, said once per kind. */
interface Traits {
  arrivals: (random: Random) => Arrivals
  meanRatePerSec: number
  rampableRate: number | undefined
  staggerPeriodMs: number
  backToBack: number
  description: string
}

function traitsOf(process: ArrivalProcess): Traits {
  switch (process.kind) {
    case 'constant':
      // Senders start staggered over one gap, so they do not all send at once.
      return rated(process, () => constant(1000 / process.ratePerSec), 1000 / process.ratePerSec)
    case 'poisson':
      // Already spread at random: no stagger.
      return rated(process, (random) => poisson(1000 / process.ratePerSec, random), 0)
    case 'bursts': {
      const { size, withinMs, everyMs } = process
      return {
        arrivals: () => bursts(size, withinMs, everyMs),
        meanRatePerSec: (1000 * size) / everyMs,
        // Size and period set a burst's rate: stages ramp only its groups.
        rampableRate: undefined,
        staggerPeriodMs: everyMs,
        backToBack: size,
        description: `bursts of ${size} in ${withinMs}ms every ${everyMs}ms`,
      }
    }
  }
}

/** A process with a rate of its own, which stages may ramp. */
function rated(process: { kind: string; ratePerSec: number }, arrivals: Traits['arrivals'], staggerPeriodMs: number): Traits {
  const { kind, ratePerSec } = process
  return {
    arrivals,
    meanRatePerSec: ratePerSec,
    rampableRate: ratePerSec,
    staggerPeriodMs,
    backToBack: 1,
    description: `${kind} ${Number(ratePerSec.toPrecision(4))}/s`,
  }
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
