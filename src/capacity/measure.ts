import { describeContext, type RunContext } from '../context.js'
import type { TransportResult } from '../metrics/summarise.js'
import { runBenchmark, runSettingsOf, type RunEvents, type RunOptions } from '../run.js'
import { withSendMode } from '../transports/setting-values.js'
import type { CapacityEntry, MeasureStep } from './search.js'

/**
 * A step measured as `run` measures: one transport, its own fresh server (or --target), at
 * `ratePerSec` in total, shared evenly by the fixed pairs at a constant rate.
 */
export function measureWithRun(base: RunOptions, events: Pick<RunEvents, 'onProgress'> = {}): MeasureStep {
  return async (entry: CapacityEntry, ratePerSec: number): Promise<TransportResult> => {
    const report = await runBenchmark(stepOptions(base, entry, ratePerSec), events)
    const result = report.results[0]
    if (result === undefined) throw new Error(`capacity: ${entry.transport.name} produced no result`)
    return result
  }
}

export function stepOptions(base: RunOptions, entry: CapacityEntry, ratePerSec: number): RunOptions {
  const perPair = ratePerSec / base.pairs
  return {
    ...base,
    transports: [entry.transport],
    settings: withSendMode(base.settings, entry.transport, entry.sendMode),
    ratePerSec: perPair,
    arrival: { kind: 'constant', ratePerSec: perPair },
    // One row per step: a sweep and repeats belong to `run`.
    sweeps: {},
    repeat: 1,
  }
}

/** The context a capacity report opens with; its settings carry the first step's rate per pair. */
export function capacityContext(base: RunOptions, startRatePerSec: number, startedAt: Date): RunContext {
  const perPair = startRatePerSec / base.pairs
  return describeContext(runSettingsOf({ ...base, ratePerSec: perPair, arrival: { kind: 'constant', ratePerSec: perPair } }), startedAt)
}
