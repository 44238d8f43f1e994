import { formatChange, relativeChange } from './compare.js'
import type { Metric } from './metrics.js'
import type { ResultFile, ResultRow } from './read.js'

/** `p99=10%`: the metric may grow by at most this share of the baseline. */
export interface RegressionLimit {
  metric: Metric
  /** 0.1 for 10%. */
  maxIncrease: number
}

export type Operator = '>' | '>=' | '<' | '<=' | '=='
export const operators: readonly Operator[] = ['>=', '<=', '==', '>', '<']

/** `p99_ms>50`: the run fails when the metric satisfies the comparison. */
export interface Budget {
  metric: Metric
  operator: Operator
  limit: number
}

export interface GateRules {
  maxRegression: readonly RegressionLimit[]
  failIf: readonly Budget[]
  /** Fire even when the --repeat ranges of the two runs overlap. */
  strict: boolean
}

/** One check of one metric for one transport: a JUnit test case, and a stderr line if it failed. */
export interface Check {
  kind: 'regression' | 'budget'
  transport: string
  metric: Metric
  baseline: number | null
  now: number | null
  change: number | null
  /** The rule as the user wrote it: `p99<=+10%`, `p99_ms>50`. */
  limit: string
  passed: boolean
  /** Why it passed or failed, where that is not obvious: `within noise: …`. */
  note?: string
}

const compareBy: Record<Operator, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
}

export function formatLimit(rule: RegressionLimit | Budget): string {
  if ('maxIncrease' in rule) return `${rule.metric.name} ≤ +${+(rule.maxIncrease * 100).toFixed(6)}%`
  return `fail if ${rule.metric.column}${rule.operator}${rule.limit}`
}

/**
 * A rise is noise when the runs' --repeat ranges overlap: this run's fastest repeat was no
 * slower than the baseline's slowest. Ranges rather than a spread around the median, because
 * one stalled repeat on a busy runner widens a min–max spread upwards only, and must not hide
 * a regression whose every repeat is slower. Without repeats on either side, nothing is noise.
 */
function withinNoise(metric: Metric, base: ResultRow, now: ResultRow, baseline: number, value: number): string | undefined {
  const name = metric.name
  if (base.range[name] === undefined && now.range[name] === undefined) return undefined
  const b = base.range[name] ?? { min: baseline, max: baseline }
  const n = now.range[name] ?? { min: value, max: value }
  if (n.min > b.max) return undefined
  const show = (r: { min: number; max: number }): string => `${r.min.toFixed(metric.digits)}–${r.max.toFixed(metric.digits)}`
  return `within noise: the repeat ranges overlap (baseline ${show(b)}, now ${show(n)} ${metric.unit})`
}

function regressionCheck(rule: RegressionLimit, base: ResultRow | undefined, now: ResultRow, strict: boolean): Check {
  const baseline = base?.values[rule.metric.name] ?? null
  const value = now.values[rule.metric.name] ?? null
  const change = relativeChange(baseline, value)
  const check = {
    kind: 'regression' as const,
    transport: now.transport,
    metric: rule.metric,
    baseline,
    now: value,
    change,
    limit: formatLimit(rule),
  }
  if (base === undefined || baseline === null) return { ...check, passed: true, note: 'no baseline value to compare with' }
  if (value === null) return { ...check, passed: false, note: 'unknown now (nothing delivered?)' }
  if (change === null || change <= rule.maxIncrease) return { ...check, passed: true }
  const noise = strict ? undefined : withinNoise(rule.metric, base, now, baseline, value)
  return noise === undefined ? { ...check, passed: false } : { ...check, passed: true, note: noise }
}

function budgetCheck(rule: Budget, base: ResultRow | undefined, now: ResultRow): Check {
  const baseline = base?.values[rule.metric.name] ?? null
  const value = now.values[rule.metric.name] ?? null
  const check = {
    kind: 'budget' as const,
    transport: now.transport,
    metric: rule.metric,
    baseline,
    now: value,
    change: relativeChange(baseline, value),
    limit: formatLimit(rule),
  }
  if (value === null) return { ...check, passed: false, note: 'unknown now (nothing delivered?)' }
  return { ...check, passed: !compareBy[rule.operator](value, rule.limit) }
}

/**
 * Pure: every check of every rule against every transport of the new run, passing ones too.
 * Without a baseline only the absolute budgets apply; baseline transports this run did not
 * measure are not checked, so a run of some transports can be gated against a run of all.
 */
export function evaluateGate(now: ResultFile, baseline: ResultFile | undefined, rules: GateRules): Check[] {
  const checks: Check[] = []
  for (const row of now.rows) {
    const base = baseline?.rows.find((r) => r.transport === row.transport)
    if (baseline !== undefined) for (const rule of rules.maxRegression) checks.push(regressionCheck(rule, base, row, rules.strict))
    for (const rule of rules.failIf) checks.push(budgetCheck(rule, base, row))
  }
  return checks
}

function show(metric: Metric, v: number | null): string {
  return v === null ? 'unknown' : `${v.toFixed(metric.digits)}${metric.unit ? ` ${metric.unit}` : ''}`
}

/** One stderr line for a failed check: transport, metric, baseline, now, change and limit. */
export function describeViolation(c: Check): string {
  const what = c.kind === 'regression' ? 'regression' : 'over budget'
  const note = c.note ? `; ${c.note}` : ''
  return (
    `${what}: ${c.transport} ${c.metric.name}: baseline ${show(c.metric, c.baseline)}, now ${show(c.metric, c.now)}, ` +
    `change ${formatChange(c.change) || 'n/a'}, limit ${c.limit}${note}`
  )
}
