import type { TransportResult } from '../metrics/summarise.js'
import { combineRuns, type Combination } from '../results/combine.js'
import type { RunReport } from '../results/report.js'

/**
 * Pure: runs of one transport as one longer run, each field by its `merge` rule (fields.ts):
 * counters add up, per-message costs are re-divided by the total delivered, latency
 * percentiles come from the added histograms, and figures no sum can rebuild keep the worst
 * run's value.
 */
export function mergeTransport(runs: readonly TransportResult[], how: Combination = 'merge'): TransportResult {
  if (runs.length === 0) throw new Error('mergeTransport needs at least one run')
  return combineRuns(runs, how)
}

/**
 * Pure: reports of the same settings as one report, transport by transport, in order of first
 * appearance. The context is the first report's, with the earliest start time; incomplete
 * when any piece is.
 */
export function mergeReports(reports: readonly RunReport[], how: Combination = 'merge'): RunReport {
  const first = reports[0]
  if (first === undefined) throw new Error('mergeReports needs at least one report')
  const transports = [...new Set(reports.flatMap((r) => r.results.map((t) => t.transport)))]
  const startedAt = reports.map((r) => r.context.startedAt).sort()[0] ?? first.context.startedAt
  return {
    schemaVersion: 1,
    context: { ...first.context, startedAt },
    results: transports.map((name) =>
      mergeTransport(
        reports.flatMap((r) => r.results.filter((t) => t.transport === name)),
        how,
      ),
    ),
    // A piece that stopped early leaves the whole incomplete.
    ...(reports.some((r) => r.complete === false) ? { complete: false as const } : {}),
  }
}
