import { overlaps, percentileInterval } from '../metrics/noise.js'
import type { Range } from '../metrics/repeats.js'
import type { TransportResult } from '../metrics/summarise.js'
import { idleRequestsPerMin } from '../transports/reporting.js'
import type { TransportSettings } from '../transports/types.js'
import type { RunReport } from './report.js'

/** One transport in the verdict: its p50, how many times the fastest's, and whether that is told apart from noise. */
export interface RankedRow {
  transport: string
  /** null when nothing was delivered. */
  p50Ms: number | null
  /** p50 over the fastest row's p50: 1 for the fastest; null when unknown. */
  ratio: number | null
  /** Where the p50 could as well have been: the --repeat min–max, else the 95% interval from the histogram. */
  p50RangeMs: Range | null
  /** Whether the range overlaps the fastest's (so the two are not told apart); null for the fastest or without a range. */
  withinNoise: boolean | null
}

/** What delivering a message cost a transport, and what its receivers cost with nothing to deliver. */
export interface CostRow {
  transport: string
  requestsPerMsg: number | null
  /** Bytes written and read by the generator per delivered message, up + down. */
  bytesPerMsg: number | null
  requestsPerMin: number | null
  /** Requests a minute its receivers would make with no messages: a polling transport's floor; null for one that waits. */
  idleRequestsPerMin: number | null
}

/** The verdict under the table, and the JSON's `summary`: transports ranked by p50, and the cost of each. */
export interface RunSummary {
  rankedBy: 'p50'
  /** Where the noise judgement comes from: the --repeat spread, or each p50's sampling interval in one run. */
  noise: 'repeats' | 'histogram'
  /** Fastest first; rows with nothing delivered last. */
  ranking: RankedRow[]
  cost: CostRow[]
  /** Rows whose p99.9 rests on fewer than `minSamplesP999` latencies: with so few it is the maximum, not a percentile. */
  fewSamples: { transport: string; count: number }[]
}

/** Latencies a p99.9 needs at least: fewer, and not one lies beyond it. */
export const minSamplesP999 = 1000

function known(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function p50Range(r: TransportResult): Range | null {
  const spread = r.repeats?.p50Ms
  if (spread && known(spread.min) !== null && known(spread.max) !== null) return spread
  return percentileInterval(r.histogram, 0.5) ?? null
}

function rank(results: readonly TransportResult[]): RankedRow[] {
  const rows = results.map((r) => ({ transport: r.transport, p50Ms: known(r.latency.p50Ms), p50RangeMs: p50Range(r) }))
  const order = [...rows].sort((a, b) => (a.p50Ms ?? Number.POSITIVE_INFINITY) - (b.p50Ms ?? Number.POSITIVE_INFINITY))
  const fastest = order[0]
  return order.map((row) => {
    const ratio = row.p50Ms === null || !fastest?.p50Ms ? null : row.p50Ms / fastest.p50Ms
    const comparable = row !== fastest && row.p50RangeMs !== null && fastest?.p50RangeMs
    return { ...row, ratio, withinNoise: comparable ? overlaps(row.p50RangeMs!, fastest.p50RangeMs!) : null }
  })
}

function cost(r: TransportResult, run: TransportSettings): CostRow {
  const up = known(r.bytesUpPerMsg)
  const down = known(r.bytesDownPerMsg)
  return {
    transport: r.transport,
    requestsPerMsg: known(r.recvRequestsPerMsg),
    bytesPerMsg: up === null || down === null ? null : up + down,
    requestsPerMin: known(r.recvRequestsPerMin),
    idleRequestsPerMin: idleRequestsPerMin(r.transport, r.settings ?? run, r.receivers) ?? null,
  }
}

/** Pure: the verdict of a run, from its rows alone. */
export function summariseRun(report: RunReport): RunSummary {
  return {
    rankedBy: 'p50',
    noise: report.results.some((r) => (r.repeats?.count ?? 1) > 1) ? 'repeats' : 'histogram',
    ranking: rank(report.results),
    cost: report.results.map((r) => cost(r, report.context.settings.transportSettings)),
    fewSamples: report.results
      .filter((r) => r.latency.count > 0 && r.latency.count < minSamplesP999)
      .map((r) => ({ transport: r.transport, count: r.latency.count })),
  }
}
