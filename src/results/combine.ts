import { addHistograms, encodeHistogram, summariseLatency, type Histogram, type LatencySummary } from '../metrics/histogram.js'
import { median, range } from '../metrics/repeats.js'
import { isGeneratorLimited, type TransportResult } from '../metrics/summarise.js'
import type { Rule } from './field.js'
import { resultFields } from './fields.js'

/** Which of each field's rules applies: over `--repeat` runs, over `merge`d pieces, or over merged shards of one run. */
export type Combination = 'repeat' | 'merge' | 'shards'

type Row = Readonly<Record<string, unknown>>

/** What a rule sees besides the field's values. */
interface Scope {
  key: string
  /** The records the values were read from, in the same order: the runs, or their stage i. */
  records: readonly (Row | undefined)[]
  runs: readonly TransportResult[]
  /** The record combined so far: rules that read other combined figures run after the rest. */
  combined: Row
  /** The runs' histograms added, made once when a rule first asks. */
  histogram: () => Histogram
  latency: () => LatencySummary
}

type Values = readonly unknown[]

const isKnown = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)
const anyTrue = (values: Values): boolean => values.some((v) => v === true)

/** Unknown as the inputs said it: null where a run reported nothing (no server stats), else NaN. */
const unknownOf = (values: Values): number | null => (values.includes(null) ? null : Number.NaN)

function allKnown(values: Values, reduce: (known: readonly number[]) => number): number | null {
  return values.every(isKnown) ? reduce(values) : unknownOf(values)
}

/**
 * The largest value a piece measured. A piece with nothing to measure (NaN: a stage or a second
 * in which nothing was delivered) adds nothing; one that did not report (null) makes it unknown.
 */
function maxOfKnown(values: Values): number | null {
  if (values.includes(null)) return null
  const known = values.filter(isKnown)
  return known.length > 0 ? Math.max(...known) : Number.NaN
}

/** Σ(value × weight) / Σ weight: a ratio of totals rebuilt from each run's ratio and denominator. */
function weighted(values: Values, weights: Values): number | null {
  if (!values.every(isKnown) || !weights.every(isKnown)) return unknownOf(values)
  const total = sum(weights)
  return total > 0 ? sum(values.map((v, i) => v * weights[i]!)) / total : Number.NaN
}

/** The first piece's value × its weight, over every piece's weight: a whole-server figure counted once. */
function countedOnce(values: Values, weights: Values): number | null {
  const [value, weight] = [values[0], weights[0]]
  if (!isKnown(value) || !isKnown(weight) || !weights.every(isKnown)) return unknownOf(values)
  const total = sum(weights)
  return total > 0 ? (value * weight) / total : Number.NaN
}

/** Each rule as field.ts describes it. */
const rules: { readonly [R in Rule]: (values: Values, scope: Scope) => unknown } = {
  first: (values) => values[0],
  drop: () => undefined,
  median: (values) => {
    const m = median(values.filter(isKnown))
    return Number.isNaN(m) ? unknownOf(values) : m
  },
  mean: (values) => allKnown(values, (known) => sum(known) / known.length),
  sum: (values) => allKnown(values, sum),
  max: maxOfKnown,
  perDelivered: (values, s) => weighted(values, s.records.map((r) => r?.delivered)),
  perWindow: (values, s) => weighted(values, s.records.map((r) => r?.windowMs)),
  oncePerDelivered: (values, s) => countedOnce(values, s.records.map((r) => r?.delivered)),
  oncePerReceiver: (values, s) => countedOnce(values, s.records.map((r) => r?.receivers)),
  any: anyTrue,
  firstKnown: (values) => values.find((v) => v !== null && v !== undefined) ?? null,
  addHistograms: (_values, s) => encodeHistogram(s.histogram()),
  fromHistogram: (_values, s) => s.latency()[s.key as keyof LatencySummary],
  spread: (_values, s) => ({
    count: s.runs.length,
    p50Ms: range(s.runs.map((r) => r.latency.p50Ms)),
    p99Ms: range(s.runs.map((r) => r.latency.p99Ms)),
  }),
  anyOrLimited: (values, s) => {
    const row = s.combined as Partial<TransportResult>
    return anyTrue(values) || isGeneratorLimited(row.sendLagP99Us ?? Number.NaN, row.latency?.p99Ms ?? Number.NaN, row.loopDelayP99Ms ?? Number.NaN)
  },
  skew: (_values, s) => {
    const opened = s.records.map((r) => r?.windowOpenedAtMs)
    return opened.every(isKnown) ? Math.max(...opened) - Math.min(...opened) : undefined
  },
}

/** Rules that read other combined figures of the row, so they run once the rest are in. */
const lastRules: ReadonlySet<Rule> = new Set<Rule>(['anyOrLimited'])
/** Rules that make a value from the whole runs, so a field no single run has can still be made. */
const fromRuns: ReadonlySet<Rule> = new Set<Rule>(['spread', 'skew'])

/** A declaration with its value types erased: only the rules matter here. */
interface Rules {
  repeat: Rule
  merge: Rule
  shards?: Rule
}

/** A field's rule for `how`: merged shards fall back on the merge rule. */
export function ruleOf(rules: Rules, how: Combination): Rule {
  return how === 'shards' ? (rules.shards ?? rules.merge) : rules[how]
}
type Declaration = Rules | { fields: Readonly<Record<string, Rules>> } | { each: Readonly<Record<string, Rules>> }

interface Shared {
  how: Combination
  runs: readonly TransportResult[]
  histogram: () => Histogram
  latency: () => LatencySummary
}

/** A record (the row, its latency, a stage) of several runs as one, key by key in declaration order. */
function combineRecord(declarations: Readonly<Record<string, Declaration>>, records: readonly (Row | undefined)[], shared: Shared): Row {
  const entries = Object.entries(declarations)
  const readsRow = ([, d]: [string, Declaration]): boolean => 'repeat' in d && lastRules.has(ruleOf(d, shared.how))
  const out: Record<string, unknown> = {}
  for (const [key, declaration] of [...entries.filter((e) => !readsRow(e)), ...entries.filter(readsRow)]) {
    const value = combineField(key, declaration, records, shared, out)
    if (value !== undefined) out[key] = value
  }
  return Object.fromEntries(entries.flatMap(([key]) => (key in out ? [[key, out[key]]] : [])))
}

function combineField(key: string, declaration: Declaration, records: readonly (Row | undefined)[], shared: Shared, combined: Row): unknown {
  const values = records.map((r) => r?.[key])
  // A field no run has (an older file's) stays absent rather than becoming "unknown".
  const absent = values.every((v) => v === undefined)
  if ('fields' in declaration) return absent ? undefined : combineRecord(declaration.fields, values as (Row | undefined)[], shared)
  if ('each' in declaration) return combineList(declaration.each, values, shared)
  const rule = ruleOf(declaration, shared.how)
  return absent && !fromRuns.has(rule) ? undefined : rules[rule](values, { ...shared, key, records, combined })
}

/** Element i of every run's list as one element; unknown (absent) when a run has no list. */
function combineList(declarations: Readonly<Record<string, Rules>>, lists: Values, shared: Shared): Row[] | undefined {
  if (lists.some((l) => !Array.isArray(l))) return undefined
  const known = lists as readonly (readonly Row[])[]
  const length = Math.max(...known.map((l) => l.length))
  return Array.from({ length }, (_, i) =>
    combineRecord(
      declarations,
      known.flatMap((l) => l.slice(i, i + 1)),
      shared,
    ),
  )
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined
  return () => (made ??= { value: make() }).value
}

/** Pure: runs of one row as one row, each field by its declared rule for `how`. */
export function combineRuns(runs: readonly TransportResult[], how: Combination): TransportResult {
  if (runs.length === 0) throw new Error('combineRuns needs at least one run')
  const histogram = once(() => addHistograms(runs.map((r) => r.histogram)))
  // The added histograms know only their max's bucket; each run's summary kept its exact max.
  const latency = once(() => summariseLatency(histogram(), exactMaxUsOf(runs)))
  const declarations = resultFields as unknown as Readonly<Record<string, Declaration>>
  return combineRecord(declarations, runs as unknown as readonly Row[], { how, runs, histogram, latency }) as unknown as TransportResult
}

/** The largest exact max of the runs, µs; undefined when none measured any. */
function exactMaxUsOf(runs: readonly TransportResult[]): number | undefined {
  const maxes = runs.map((r) => r.latency.maxMs).filter(Number.isFinite)
  return maxes.length > 0 ? Math.round(Math.max(...maxes) * 1000) : undefined
}

/**
 * Pure: N runs of one transport as one row, each figure by its `repeat` rule (mostly the
 * median of that figure across the runs, each on its own, so lost need not equal sent −
 * delivered); `repeats` records the p50 and p99 spread. A single run is returned as it is.
 */
export function combineRepeats(runs: readonly TransportResult[]): TransportResult {
  const first = runs[0]
  if (first === undefined) throw new Error('combineRepeats needs at least one run')
  return runs.length === 1 ? first : combineRuns(runs, 'repeat')
}
