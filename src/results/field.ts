import type { LatencySummary } from '../metrics/histogram.js'
import type { TransportResult } from '../metrics/summarise.js'

/** A CSV cell before it is written: null (or NaN) for unknown. */
export type Cell = string | number | boolean | null

/** The views of a result that compare prints as separate tables. */
export type MetricGroup = 'latency' | 'cost' | 'correctness'
export const metricGroups: readonly MetricGroup[] = ['latency', 'cost', 'correctness']

/**
 * How one field of several runs of a row becomes the field of one row. Unknown (null for "not
 * reported", NaN for "nothing to divide by", absent in older files) stays unknown: `median`
 * leaves unknown runs out, every other number rule is unknown as soon as one run's value is.
 *
 * - `first`: the first run's; for what every run of a row shares (its name, its settings).
 * - `drop`: left out of the combined row.
 * - `median`: the median of the known values (the mean of the middle two for an even count).
 * - `mean`: the plain mean.
 * - `sum`: the total.
 * - `max`: the largest a piece measured (a piece with nothing to measure, NaN, adds nothing; one that did not report, null, makes it unknown).
 * - `perDelivered`: Σ(value × delivered) / Σ delivered, each run weighted by its own `delivered`.
 * - `perWindow`: Σ(value × windowMs) / Σ windowMs, each run weighted by its own `windowMs`.
 * - `oncePerDelivered`, `oncePerReceiver`: a figure of the whole server that every shard read
 *   (its CPU, its memory grown): the first's value × its `delivered` (`receivers`) / Σ of them,
 *   so the server is counted once and shared out over every shard's messages (receivers).
 * - `any`: true when any run's is.
 * - `firstKnown`: the first run's value that is not null.
 */
export type GeneralRule = 'first' | 'drop' | NumberRule | 'any' | 'firstKnown'
export type NumberRule = 'median' | 'mean' | 'sum' | 'max' | 'perDelivered' | 'perWindow' | 'oncePerDelivered' | 'oncePerReceiver'

/**
 * Rules that belong to one field:
 * - `addHistograms`: the runs' latency histograms added into one (counts add up).
 * - `fromHistogram`: a latency figure re-summarised from the added histograms.
 * - `spread`: how many runs there were, and the min–max of their p50 and p99.
 * - `anyOrLimited`: `any`, or the combined row's own send lag, event-loop delay and p99 say so.
 * - `skew`: latest − earliest of the pieces' `windowOpenedAtMs`.
 */
export type SpecialRule = 'addHistograms' | 'fromHistogram' | 'spread' | 'anyOrLimited' | 'skew'
export type Rule = GeneralRule | SpecialRule

/** The rules a field of type V may take: number rules for numbers, `any` for flags, `firstKnown` for a text that may be null. */
export type RuleFor<V, Special extends SpecialRule = never> =
  | 'first'
  | (undefined extends V ? 'drop' : never)
  | ([NonNullable<V>] extends [number] ? NumberRule : never)
  | ([NonNullable<V>] extends [boolean] ? 'any' : never)
  | ([NonNullable<V>] extends [string] ? (null extends V ? 'firstKnown' : never) : never)
  | Special

/**
 * How compare and the gate show a figure. They read a rise as worse, so `better` can only be
 * `lower` (a latency, a cost, a failure count) until they learn the other way.
 */
export interface Comparison {
  group: MetricGroup
  /** The short name a user types (`p99`); the CSV column when absent. */
  name?: string
  better: 'lower'
}

/** What reports say about a figure, whatever its type. */
export interface Presentation {
  /** The CSV column holding the value as it is; absent for a JSON-only field. */
  column?: string
  /** The heading a terminal table gives it. */
  label?: string
  unit?: string
  /** Decimals the table, compare and the gate show; absent for a count, printed as recorded. */
  digits?: number
  /** Present when compare and the gate know the figure. */
  compare?: Comparison
}

/** A word the table's flag column shows for a row whose value says so (`socket`), and what it means, for the legend. */
export interface Flag<V> {
  word: string
  when(value: V): boolean
  means: string
}

/** One field of a transport's result: how reports show it, and how several runs of it combine. */
export interface FieldSpec<V, Special extends SpecialRule = never> extends Presentation {
  /** CSV columns computed from the value, for a field that is not one cell (the repeat spread). */
  columns?: Readonly<Record<string, (value: V) => Cell>>
  /** The table's text, where it is not the default for `digits`. */
  text?: (value: V) => string
  /** Present when a value deserves a word in the table's flag column. */
  flag?: Flag<V>
  /** Over `run --repeat` runs of one row, each on a fresh server. */
  repeat: RuleFor<V, Special>
  /** Over `merge`d results of the same settings: one longer run made of the pieces. */
  merge: RuleFor<V, Special>
  /**
   * Over `merge`d shards of one run (`run --shard`): one run whose pieces ran at once against
   * one server. `merge`'s rule where absent; a field whose pieces overlap in time says otherwise.
   */
  shards?: RuleFor<V, Special>
  /** Why these two rules, in a line. */
  why: string
}

/** A record of figures declared field by field (the latency summary). */
export interface RecordSpec<T, Special extends SpecialRule = never> {
  fields: { readonly [K in keyof T]-?: FieldSpec<T[K], Special> }
}

/**
 * A list of records (stages): element i of each run combines with element i of the others,
 * field by field; the list is left out when a run has none.
 */
export interface ListSpec<E> {
  each: { readonly [K in keyof E]-?: FieldSpec<E[K]> }
  why: string
}

/** Rules only these fields may take. */
interface SpecialRules {
  histogram: 'addHistograms'
  repeats: 'spread'
  generatorLimited: 'anyOrLimited'
  windowSkewMs: 'skew'
}

type SpecOf<K extends keyof TransportResult> = K extends 'latency'
  ? RecordSpec<LatencySummary, 'fromHistogram'>
  : [NonNullable<TransportResult[K]>] extends [readonly (infer E)[]]
    ? ListSpec<E>
    : FieldSpec<TransportResult[K], K extends keyof SpecialRules ? SpecialRules[K] : never>

/**
 * Every field of TransportResult, optional ones included, with its rules: a field added to
 * the result without a declaration here does not compile.
 */
export type ResultFields = { readonly [K in keyof TransportResult]-?: SpecOf<K> }

/** A field of the row that holds one figure (a record's fields count one by one), as reports use it. */
export interface Figure extends Presentation {
  /** Where it lives in a result: `sent`, `latency.p99Ms`. */
  path: string
  repeat: Rule
  merge: Rule
  shards?: Rule
  why: string
  value: (r: TransportResult) => unknown
  /** The CSV cells it writes, by column name. */
  cells: readonly { name: string; value: (r: TransportResult) => Cell }[]
  /** Its text in the terminal table. */
  text: (r: TransportResult) => string
  /** The flag-column word this row earns from the figure, if any. */
  flag?: { word: string; means: string; on: (r: TransportResult) => boolean }
}

/** `12.35` for two digits; `n/a` for unknown. */
export function fixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits)
}

/** A declaration with its value type erased: the mapped type above has checked it against its field. */
type AnySpec = FieldSpec<unknown, SpecialRule>

function figureOf(path: string, spec: AnySpec, value: (r: TransportResult) => unknown): Figure {
  const { columns, text, flag, ...rest } = spec
  const cells = [
    ...(spec.column === undefined ? [] : [{ name: spec.column, value: (r: TransportResult) => (value(r) ?? null) as Cell }]),
    ...Object.entries(columns ?? {}).map(([name, cell]) => ({ name, value: (r: TransportResult) => cell(value(r)) })),
  ]
  const show = (v: unknown): string =>
    text ? text(v) : spec.digits === undefined ? String(v) : fixed(v as number | null, spec.digits)
  return {
    ...rest,
    path,
    value,
    cells,
    text: (r) => show(value(r)),
    ...(flag ? { flag: { word: flag.word, means: flag.means, on: (r: TransportResult) => flag.when(value(r)) } } : {}),
  }
}

/** The row's figures in declaration order; a record's fields in place of the record, lists left out. */
export function figuresOf(fields: ResultFields): Figure[] {
  return Object.entries(fields).flatMap(([key, decl]): Figure[] => {
    const field = (r: TransportResult): unknown => r[key as keyof TransportResult]
    if ('each' in decl) return []
    if ('fields' in decl) {
      return Object.entries(decl.fields).map(([sub, spec]) =>
        figureOf(`${key}.${sub}`, spec as AnySpec, (r) => (field(r) as Record<string, unknown> | undefined)?.[sub]),
      )
    }
    return [figureOf(key, decl as AnySpec, field)]
  })
}
