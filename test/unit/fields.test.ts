import fc from 'fast-check'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mergeTransport } from '../../src/baseline/merge.js'
import {
  addHistograms,
  encodeHistogram,
  newHistogram,
  recordUs,
  summariseLatency,
  type LatencySummary,
} from '../../src/metrics/histogram.js'
import { isGeneratorLimited, type TransportResult } from '../../src/metrics/summarise.js'
import { csvHeader } from '../../src/results/columns.js'
import { combineRepeats, combineRuns, ruleOf, type Combination } from '../../src/results/combine.js'
import type { ResultFields, Rule } from '../../src/results/field.js'
import { figures, resultFields } from '../../src/results/fields.js'

/**
 * Every declared field of a transport's result combines by its declared rule. The runs are
 * generated from the declarations themselves, so a field added later is covered as soon as it
 * is declared (and TransportResult does not compile until it is). The expected values below
 * restate each rule on its own, in plain code, as field.ts describes it.
 */

interface Leaf {
  repeat: Rule
  merge: Rule
  shards?: Rule
  why: string
}
type Declaration = Leaf | { fields: Record<string, Leaf> } | { each: Record<string, Leaf> }
const declarations = resultFields as unknown as Record<string, Declaration>

type Row = Record<string, unknown>
type Values = readonly unknown[]

const numberRules: readonly Rule[] = [
  'median',
  'mean',
  'sum',
  'max',
  'perDelivered',
  'perWindow',
  'oncePerDelivered',
  'oncePerReceiver',
  'fromHistogram',
  'skew',
]

/** Mostly whole numbers (distinct from run to run, sums exact), sometimes unknown as a file can say it. */
const numberArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
)

const histogramArb = fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 30 }).map((latenciesUs) => {
  const h = newHistogram()
  for (const us of latenciesUs) recordUs(h, us)
  return encodeHistogram(h)
})

const rangeArb = fc.record({ min: fc.integer({ max: 1000 }), max: fc.integer({ max: 1000 }) })
const spreadArb = fc.option(fc.record({ count: fc.integer({ min: 2, max: 9 }), p50Ms: rangeArb, p99Ms: rangeArb }), { nil: undefined })

/** A value a field with these rules can hold; `first`-only fields get a token told apart by identity. */
function leafArb({ repeat, merge, shards }: Leaf): fc.Arbitrary<unknown> {
  const rules = [repeat, merge, shards ?? merge]
  if (rules.some((r) => numberRules.includes(r))) return numberArb
  if (rules.includes('any') || rules.includes('anyOrLimited')) return fc.boolean()
  if (rules.includes('firstKnown')) return fc.option(fc.string({ maxLength: 8 }), { nil: null })
  if (rules.includes('addHistograms')) return histogramArb
  if (rules.includes('spread')) return spreadArb
  return fc.string({ maxLength: 8 }).map((token) => ({ token }))
}

function recordArb(leaves: Record<string, Leaf>): fc.Arbitrary<Row> {
  return fc.record(Object.fromEntries(Object.entries(leaves).map(([key, leaf]) => [key, leafArb(leaf)])))
}

/** A whole result from the declarations: records in full, lists of 0–3 elements or none at all. */
const runArb: fc.Arbitrary<Row> = fc.record(
  Object.fromEntries(
    Object.entries(declarations).map(([key, d]): [string, fc.Arbitrary<unknown>] => {
      if ('fields' in d) return [key, recordArb(d.fields)]
      if ('each' in d) return [key, fc.option(fc.array(recordArb(d.each), { maxLength: 3 }), { nil: undefined })]
      return [key, leafArb(d)]
    }),
  ),
)

const isKnown = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const unknownOf = (values: Values): number | null => (values.includes(null) ? null : Number.NaN)
const total = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

function weightedBy(values: Values, weights: Values): number | null {
  if (!values.every(isKnown) || !weights.every(isKnown)) return unknownOf(values)
  const sum = total(weights)
  return sum > 0 ? total(values.map((v, i) => v * weights[i]!)) / sum : Number.NaN
}

function medianOf(values: Values): number | null {
  const known = values.filter(isKnown).sort((a, b) => a - b)
  if (known.length === 0) return unknownOf(values)
  const mid = Math.floor(known.length / 2)
  return known.length % 2 === 1 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2
}

interface Context {
  key: string
  records: readonly Row[]
  runs: readonly TransportResult[]
  combined: Row
}

const added = new WeakMap<readonly TransportResult[], { encoded: string; latency: LatencySummary }>()

/** The runs' histograms added, once per set of runs (adding is the slow part of a check). */
function addedOf(runs: readonly TransportResult[]): { encoded: string; latency: LatencySummary } {
  let sum = added.get(runs)
  if (sum === undefined) {
    const h = addHistograms(runs.map((r) => r.histogram))
    sum = { encoded: encodeHistogram(h), latency: summariseLatency(h) }
    added.set(runs, sum)
  }
  return sum
}

/** What each rule should give, restated. */
const expected: Record<Rule, (values: Values, c: Context) => unknown> = {
  first: (values) => values[0],
  drop: () => undefined,
  median: medianOf,
  mean: (values) => (values.every(isKnown) ? total(values) / values.length : unknownOf(values)),
  sum: (values) => (values.every(isKnown) ? total(values) : unknownOf(values)),
  max: (values) => (values.includes(null) ? null : values.some(isKnown) ? Math.max(...values.filter(isKnown)) : Number.NaN),
  perDelivered: (values, c) =>
    weightedBy(
      values,
      c.records.map((r) => r.delivered),
    ),
  perWindow: (values, c) =>
    weightedBy(
      values,
      c.records.map((r) => r.windowMs),
    ),
  oncePerDelivered: (values, c) =>
    countedOnce(
      values,
      c.records.map((r) => r.delivered),
    ),
  oncePerReceiver: (values, c) =>
    countedOnce(
      values,
      c.records.map((r) => r.receivers),
    ),
  any: (values) => values.includes(true),
  firstKnown: (values) => values.find((v) => v !== null) ?? null,
  addHistograms: (_values, c) => addedOf(c.runs).encoded,
  fromHistogram: (_values, c) => addedOf(c.runs).latency[c.key as keyof LatencySummary],
  spread: (_values, c) => {
    const range = (pick: (l: LatencySummary) => number) => {
      const known = c.runs.map((r) => pick(r.latency)).filter(isKnown)
      return known.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min: Math.min(...known), max: Math.max(...known) }
    }
    return { count: c.runs.length, p50Ms: range((l) => l.p50Ms), p99Ms: range((l) => l.p99Ms) }
  },
  anyOrLimited: (values, c) => {
    const row = c.combined as unknown as TransportResult
    return values.includes(true) || isGeneratorLimited(row.sendLagP99Us, row.latency.p99Ms, row.loopDelayP99Ms)
  },
  skew: (_values, c) => {
    const opened = c.records.map((r) => r.windowOpenedAtMs)
    return opened.every(isKnown) ? Math.max(...opened) - Math.min(...opened) : undefined
  },
}

/** The first's value × its weight over all the weights, restated. */
function countedOnce(values: Values, weights: Values): number | null {
  if (!isKnown(values[0]) || !weights.every(isKnown)) return unknownOf(values)
  const sum = total(weights)
  return sum > 0 ? (values[0] * weights[0]!) / sum : Number.NaN
}

/** Checks one combined record against its inputs, field by field; returns how many fields it checked. */
function checkRecord(
  leaves: Record<string, Declaration>,
  inputs: readonly Row[],
  combined: Row,
  how: Combination,
  c: Omit<Context, 'key' | 'records' | 'combined'>,
  at: string,
): number {
  const declared = Object.keys(leaves)
  assert.deepEqual(
    Object.keys(combined).filter((k) => !declared.includes(k)),
    [],
    `${at}: combined fields without a declaration`,
  )
  let checked = 0
  for (const [key, d] of Object.entries(leaves)) {
    const values = inputs.map((r) => r[key])
    const path = `${at}${key}`
    if ('fields' in d) {
      checked += checkRecord(d.fields, values as Row[], combined[key] as Row, how, c, `${path}.`)
    } else if ('each' in d) {
      checked += checkList(d.each, values, combined[key], how, c, path)
    } else {
      const rule = ruleOf(d, how)
      const want = expected[rule](values, { ...c, key, records: inputs, combined })
      if (want === undefined) assert.ok(!(key in combined), `${path} (${how}: ${rule}) should be left out`)
      else assert.deepEqual(combined[key], want, `${path} should combine by ${rule} on ${how}: ${d.why}`)
      checked++
    }
  }
  return checked
}

function checkList(
  leaves: Record<string, Leaf>,
  lists: Values,
  combined: unknown,
  how: Combination,
  c: Omit<Context, 'key' | 'records' | 'combined'>,
  path: string,
): number {
  if (lists.some((l) => l === undefined)) {
    assert.equal(combined, undefined, `${path}: a run without the list leaves it out`)
    return 0
  }
  const known = lists as Row[][]
  const length = Math.max(...known.map((l) => l.length))
  assert.ok(Array.isArray(combined) && combined.length === length, `${path}: one element per index`)
  let checked = 0
  for (let i = 0; i < length; i++) {
    const elements = known.flatMap((l) => l.slice(i, i + 1))
    checked += checkRecord(leaves, elements, (combined as Row[])[i]!, how, c, `${path}[${i}].`)
  }
  return checked
}

/** Declared fields a check has to visit: each leaf, each record's fields; lists when present. */
const topLeaves = Object.values(declarations).reduce((n, d) => n + ('fields' in d ? Object.keys(d.fields).length : 'each' in d ? 0 : 1), 0)

function checkCombination(how: Combination, runs: readonly TransportResult[]): void {
  const combined = combineRuns(runs, how) as unknown as Row
  const checked = checkRecord(declarations, runs as unknown as Row[], combined, how, { runs }, '')
  assert.ok(checked >= topLeaves, `checked ${checked} fields of ${topLeaves}`)
}

describe('every declared field combines by its rule', () => {
  for (const how of ['repeat', 'merge', 'shards'] as const) {
    it(`over ${{ repeat: '--repeat runs', merge: 'merged pieces', shards: 'merged shards' }[how]}, for any runs`, () => {
      const runs = fc.array(runArb, { minLength: how === 'repeat' ? 2 : 1, maxLength: 5 }) as unknown as fc.Arbitrary<TransportResult[]>
      fc.assert(
        fc.property(runs, (r) => checkCombination(how, r)),
        { numRuns: 100 },
      )
    })
  }

  it('the check fails on a field taken from the first run where its rule says median', () => {
    const runs = fc.sample(runArb, 3) as unknown as TransportResult[]
    runs.forEach((r, i) => (r.recvRequestsPerMin = [30, 10, 20][i]!))
    const combined = { ...combineRuns(runs, 'repeat'), recvRequestsPerMin: 30 }
    assert.throws(
      () => checkRecord(declarations, runs as unknown as Row[], combined, 'repeat', { runs }, ''),
      /recvRequestsPerMin should combine by median/,
    )
  })

  it('--repeat leaves a single run as it is, spread and all', () => {
    const [run] = fc.sample(runArb, 1) as unknown as TransportResult[]
    assert.equal(combineRepeats([run!]), run)
  })

  it('merge takes every run, even one, by its merge rules', () => {
    const [run] = fc.sample(runArb, 1) as unknown as TransportResult[]
    assert.deepEqual(mergeTransport([run!]), combineRuns([run!], 'merge'))
    assert.ok(!('repeats' in mergeTransport([{ ...run!, repeats: { count: 3, p50Ms: { min: 1, max: 2 }, p99Ms: { min: 3, max: 4 } } }])))
  })
})

describe('the declarations', () => {
  it('place every CSV column a field declares in the header, once', () => {
    const declared = figures.flatMap((f) => f.cells.map((c) => c.name))
    assert.deepEqual(
      declared.filter((name) => !csvHeader.includes(name)),
      [],
    )
    assert.equal(new Set(declared).size, declared.length)
  })

  it('cover every field of the result: leaving one out does not compile', () => {
    const withoutReceivers: Omit<ResultFields, 'receivers'> = resultFields
    // @ts-expect-error: receivers has no rules, so this is not a ResultFields.
    const incomplete: ResultFields = withoutReceivers
    assert.equal(incomplete, resultFields)
  })
})
