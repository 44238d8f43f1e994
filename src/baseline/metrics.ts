import type { TransportResult } from '../metrics/summarise.js'

/** The three views of a result that compare prints as separate tables. */
export type MetricGroup = 'latency' | 'cost' | 'correctness'
export const metricGroups: readonly MetricGroup[] = ['latency', 'cost', 'correctness']

/** A figure compare and the gate know; lower is better for every one of them. */
export interface Metric {
  /** Short name a user types: `p99`, `lost`. */
  name: string
  /** The CSV column it is read from: `p99_ms`, `lost`. */
  column: string
  group: MetricGroup
  unit: string
  digits: number
  value: (r: TransportResult) => number | null
}

const metric = (name: string, column: string, group: MetricGroup, unit: string, digits: number, value: Metric['value']): Metric => ({
  name,
  column,
  group,
  unit,
  digits,
  value,
})

export const metrics: readonly Metric[] = [
  metric('p50', 'p50_ms', 'latency', 'ms', 3, (r) => r.latency.p50Ms),
  metric('p90', 'p90_ms', 'latency', 'ms', 3, (r) => r.latency.p90Ms),
  metric('p99', 'p99_ms', 'latency', 'ms', 3, (r) => r.latency.p99Ms),
  metric('p999', 'p999_ms', 'latency', 'ms', 3, (r) => r.latency.p999Ms),
  metric('max', 'max_ms', 'latency', 'ms', 3, (r) => r.latency.maxMs),
  metric('recv_requests_per_msg', 'recv_requests_per_msg', 'cost', 'req', 2, (r) => r.recvRequestsPerMsg),
  metric('bytes_up_per_msg', 'bytes_up_per_msg', 'cost', 'B', 0, (r) => r.bytesUpPerMsg),
  metric('bytes_down_per_msg', 'bytes_down_per_msg', 'cost', 'B', 0, (r) => r.bytesDownPerMsg),
  metric('connections', 'connections', 'cost', '', 0, (r) => r.connections),
  metric('server_cpu_ms_per_1k', 'server_cpu_ms_per_1k', 'cost', 'ms', 1, (r) => r.serverCpuMsPer1k),
  metric('server_rss_mb', 'server_rss_mb', 'cost', 'MB', 1, (r) => r.serverRssMb),
  metric('lost', 'lost', 'correctness', '', 0, (r) => r.lost),
  metric('duplicated', 'duplicated', 'correctness', '', 0, (r) => r.duplicated),
  metric('reordered', 'reordered', 'correctness', '', 0, (r) => r.reordered),
]

export const metricNames: readonly string[] = metrics.map((m) => m.name)

/** Finds a metric by its short name or its CSV column (`p99` or `p99_ms`). */
export function findMetric(text: string): Metric | undefined {
  const key = text.trim().toLowerCase()
  return metrics.find((m) => m.name === key || m.column === key)
}

/** A value as a number, unknown (NaN, Infinity, absent) as null. */
export function known(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}
