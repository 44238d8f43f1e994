import type { TransportResult } from '../metrics/summarise.js'
import { metricGroups, type Figure, type MetricGroup } from '../results/field.js'
import { figures } from '../results/fields.js'

export { metricGroups, type MetricGroup }

/** A figure compare and the gate know: the fields that declare `compare` in fields.ts. */
export interface Metric {
  /** Short name a user types: `p99`, `lost`. */
  name: string
  /** The CSV column it is read from: `p99_ms`, `lost`. */
  column: string
  /** Lower is better for every one of them (fields.ts says so of each). */
  group: MetricGroup
  /** Its heading in a table: `p50 ms`, `req/msg`. */
  label: string
  unit: string
  digits: number
  value: (r: TransportResult) => number | null
}

function metricOf(f: Figure): Metric[] {
  if (f.compare === undefined || f.column === undefined) return []
  return [
    {
      name: f.compare.name ?? f.column,
      column: f.column,
      group: f.compare.group,
      label: f.label ?? f.column,
      unit: f.unit ?? '',
      digits: f.digits ?? 0,
      value: (r) => f.value(r) as number | null,
    },
  ]
}

/** Group by group (latency, cost, correctness), in declaration order within each. */
export const metrics: readonly Metric[] = metricGroups.flatMap((group) => figures.flatMap(metricOf).filter((m) => m.group === group))

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
