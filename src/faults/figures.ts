import type { LoadResult } from '../metrics/load-result.js'

/** What a row run with --faults reports of them (fields declared in results/fields.ts). */
export interface FaultFigures {
  /** What was asked, as the flag takes it: `drop-every=2s`. */
  faults: string
  /** Faults injected during the window (a drop cuts every receiver at once: one fault). */
  faultsInjected: number
  /** The row was measured under injected faults. */
  faulted: true
  recoveryP50Ms: number
  recoveryMaxMs: number
  lateAfterFault: number
  /** From a fault to each receiver's first drop of a connection it found silent after it: p50 and max (NaN when none did). */
  detectP50Ms: number
  detectMaxMs: number
  /** Connections receivers dropped for silence in the window (more than the faults explain: false alarms). */
  silentDrops: number
}

type Measured = 'recoveryP50Ms' | 'recoveryMaxMs' | 'lateAfterFault' | 'detectP50Ms' | 'detectMaxMs' | 'silentDrops'

/**
 * Recovery over every (fault, receiver) that got a message after the fault, and detection over
 * every (fault, receiver) that dropped a silent connection after it: p50 and max, NaN when none.
 */
export function recoveryFigures(load: LoadResult): Pick<FaultFigures, Measured> {
  const recorded = load.recorded.faults
  const recovery = p50AndMax(recorded?.recoveryMs ?? [])
  const detect = p50AndMax(recorded?.detectMs ?? [])
  return {
    recoveryP50Ms: recovery.p50,
    recoveryMaxMs: recovery.max,
    lateAfterFault: recorded?.late ?? 0,
    detectP50Ms: detect.p50,
    detectMaxMs: detect.max,
    silentDrops: recorded?.silentDrops ?? 0,
  }
}

/** The lower median and the largest, to the µs; NaN of none. */
function p50AndMax(samples: readonly number[]): { p50: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length === 0) return { p50: Number.NaN, max: Number.NaN }
  return { p50: round3(sorted[Math.ceil(sorted.length / 2) - 1]!), max: round3(sorted[sorted.length - 1]!) }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
