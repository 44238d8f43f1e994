import { metricGroups, type Metric, type MetricGroup } from './metrics.js'
import type { ResultFile } from './read.js'

export type Verdict = 'better' | 'worse' | 'same' | 'unknown'

/** One file's value of one metric for one transport, and how it moved from the first file. */
export interface ComparedCell {
  value: number | null
  /** (value − first) / first; ±Infinity when the first was 0; null for the first file or unknowns. */
  change: number | null
  verdict: Verdict
}

export interface ComparedRow {
  transport: string
  /** By metric, then by file, in the order given. */
  cells: ComparedCell[][]
}

export interface ComparisonTable {
  group: MetricGroup
  metrics: Metric[]
  files: string[]
  rows: ComparedRow[]
}

/** Relative change from `base` to `now`; lower is better, so a positive change is worse. */
export function relativeChange(base: number | null, now: number | null): number | null {
  if (base === null || now === null) return null
  if (base === 0) return now === 0 ? 0 : now > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  return (now - base) / Math.abs(base)
}

export function verdictOf(change: number | null): Verdict {
  if (change === null) return 'unknown'
  return change < 0 ? 'better' : change > 0 ? 'worse' : 'same'
}

/** Transports in order of first appearance across the files. */
function transportsOf(files: readonly ResultFile[]): string[] {
  return [...new Set(files.flatMap((f) => f.rows.map((r) => r.transport)))]
}

function cellsFor(metric: Metric, transport: string, files: readonly ResultFile[]): ComparedCell[] {
  const values = files.map((f) => f.rows.find((r) => r.transport === transport)?.values[metric.name] ?? null)
  const base = values[0] ?? null
  return values.map((value, i) => {
    if (i === 0) return { value, change: null, verdict: value === null ? 'unknown' : 'same' }
    const change = relativeChange(base, value)
    return { value, change, verdict: verdictOf(change) }
  })
}

/** Pure: one table per metric group that has a chosen metric; changes are against the first file. */
export function compareResults(files: readonly ResultFile[], chosen: readonly Metric[]): ComparisonTable[] {
  const transports = transportsOf(files)
  const groups = metricGroups.filter((g) => chosen.some((m) => m.group === g))
  return groups.map((group) => {
    const groupMetrics = chosen.filter((m) => m.group === group)
    return {
      group,
      metrics: groupMetrics,
      files: files.map((f) => f.label),
      rows: transports.map((transport) => ({ transport, cells: groupMetrics.map((m) => cellsFor(m, transport, files)) })),
    }
  })
}

/** `+12.3%`, `-4.0%`, `+∞%`; empty for no change to show. */
export function formatChange(change: number | null): string {
  if (change === null) return ''
  if (!Number.isFinite(change)) return change > 0 ? '+∞%' : '-∞%'
  const pct = change * 100
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
}
