import { overlaps } from '../metrics/noise.js'
import type { Range } from '../metrics/repeats.js'
import { metricGroups, type Metric, type MetricGroup } from './metrics.js'
import type { ResultFile, ResultRow } from './read.js'

export type Verdict = 'better' | 'worse' | 'same' | 'unknown'

/** One file's value of one metric for one transport, and how it moved from the first file. */
export interface ComparedCell {
  value: number | null
  /** (value − first) / first; ±Infinity when the first was 0; null for the first file or unknowns. */
  change: number | null
  /** `same` inside the noise band (`noise` then says why) or when equal at the digits shown. */
  verdict: Verdict
  /** Present when a change was counted as unchanged because it lies inside the noise band. */
  noise?: 'repeats' | 'histogram'
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

/** What compare prints: the tables, and lines that say how to read them (settings that differ, the noise band). */
export interface CompareReport {
  tables: readonly ComparisonTable[]
  notes: readonly string[]
}

/** Transports in order of first appearance across the files. */
function transportsOf(files: readonly ResultFile[]): string[] {
  return [...new Set(files.flatMap((f) => f.rows.map((r) => r.transport)))]
}

/**
 * Where a figure of a row could as well have been: its --repeat min–max, else (a percentile of a
 * JSON file) its 95% interval from the histogram; undefined when neither is known.
 */
function bandOf(row: ResultRow, metric: Metric): { range: Range; from: 'repeats' | 'histogram' } | undefined {
  const repeats = row.range[metric.name]
  if (repeats !== undefined) return { range: repeats, from: 'repeats' }
  const histogram = row.band?.[metric.name]
  return histogram === undefined ? undefined : { range: histogram, from: 'histogram' }
}

/**
 * A change that is no change: equal at the digits shown, or inside the noise band (the two
 * files' bands overlap; a file without one counts as its value alone). Undefined otherwise.
 */
function unchanged(metric: Metric, base: ResultRow, now: ResultRow, b: number, n: number): Pick<ComparedCell, 'noise'> | undefined {
  if (b.toFixed(metric.digits) === n.toFixed(metric.digits)) return {}
  const bb = bandOf(base, metric)
  const nb = bandOf(now, metric)
  if (bb === undefined && nb === undefined) return undefined
  const inside = overlaps(bb?.range ?? { min: b, max: b }, nb?.range ?? { min: n, max: n })
  return inside ? { noise: bb?.from === 'repeats' || nb?.from === 'repeats' ? 'repeats' : 'histogram' } : undefined
}

function cellsFor(metric: Metric, transport: string, files: readonly ResultFile[]): ComparedCell[] {
  const rows = files.map((f) => f.rows.find((r) => r.transport === transport))
  const values = rows.map((r) => r?.values[metric.name] ?? null)
  const base = values[0] ?? null
  return values.map((value, i) => {
    if (i === 0) return { value, change: null, verdict: value === null ? 'unknown' : 'same' }
    const change = relativeChange(base, value)
    const same = base === null || value === null ? undefined : unchanged(metric, rows[0]!, rows[i]!, base, value)
    return same === undefined ? { value, change, verdict: verdictOf(change) } : { value, change, verdict: 'same', ...same }
  })
}

/** Pure: one table per metric group that has a chosen metric; changes are against the first file. */
export function compareResults(
  files: readonly ResultFile[],
  chosen: readonly Metric[],
  labels: readonly string[] = files.map((f) => f.label),
): ComparisonTable[] {
  const transports = transportsOf(files)
  const groups = metricGroups.filter((g) => chosen.some((m) => m.group === g))
  return groups.map((group) => {
    const groupMetrics = chosen.filter((m) => m.group === group)
    return {
      group,
      metrics: groupMetrics,
      files: [...labels],
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
