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
}

/** Recovery p50 and max over every (fault, receiver) that got a message after the fault; NaN when none did. */
export function recoveryFigures(load: LoadResult): Pick<FaultFigures, 'recoveryP50Ms' | 'recoveryMaxMs' | 'lateAfterFault'> {
  const recorded = load.recorded.faults
  const sorted = [...(recorded?.recoveryMs ?? [])].sort((a, b) => a - b)
  return {
    recoveryP50Ms: sorted.length > 0 ? round3(sorted[Math.ceil(sorted.length / 2) - 1]!) : Number.NaN,
    recoveryMaxMs: sorted.length > 0 ? round3(sorted[sorted.length - 1]!) : Number.NaN,
    lateAfterFault: recorded?.late ?? 0,
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
