import { InvalidArgumentError } from 'commander'
import type { Budget, Operator, RegressionLimit } from '../baseline/gate.js'
import { findMetric, metricNames, metrics, type Metric } from '../baseline/metrics.js'
import { capacityTuning, workerTuning } from '../config.js'
import { messageOf } from '../errors.js'
import { minPayloadBytes } from '../load/message.js'
import type { Shard } from '../load/partition.js'
import { formatNames, type FormatName, type ReportKind } from '../report/formats.js'
import { findTableColumn, tableColumnNames } from '../report/table.js'
import { findTransport, transportNames } from '../transports/registry.js'
import type { SendMode } from '../transports/types.js'
import { readDurationMs } from '../units.js'

/**
 * Typed parsers for every flag: each returns a checked value or throws a message naming the
 * value and what would be accepted. Past these, the rest of the program trusts its input.
 */

export function positiveInt(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1 (got ${text})`)
  }
  return n
}

/** Load-generator processes: 1 to workerTuning.maxWorkers. */
export function workers(text: string): number {
  const n = positiveInt(text)
  if (n > workerTuning.maxWorkers) throw new InvalidArgumentError(`expected at most ${workerTuning.maxWorkers} workers (got ${text})`)
  return n
}

/** `--shard i/n`: this machine's share, numbered from 0, of a run spread over n. */
export function shard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN]
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1)
    throw new InvalidArgumentError(`expected index/count such as 0/4, numbered from 0 (got ${text})`)
  if (index >= count) throw new InvalidArgumentError(`the index counts from 0, so it must be below ${count} (got ${text})`)
  return { index, count }
}

/** `--start-at`: an ISO instant with its zone (`2026-12-04T15:00:00Z`) or `+30s` from now; epoch ms, not in the past. */
export function startAt(text: string): number {
  const trimmed = text.trim()
  const ms = trimmed.startsWith('+') ? Date.now() + duration(trimmed.slice(1), 0) : isoInstant(trimmed)
  if (ms < Date.now()) throw new InvalidArgumentError(`the instant has passed (${new Date(ms).toISOString()}); give a later one or +30s`)
  return ms
}

function isoInstant(text: string): number {
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(ms))
    throw new InvalidArgumentError(`expected an ISO instant with its zone, such as 2026-12-04T15:00:00Z, or +30s (got ${text})`)
  return ms
}

export function wholeNumber(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected a whole number of at least 0 (got ${text})`)
  return n
}

export function positiveNumber(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number above 0 (got ${text})`)
  return n
}

export function payloadBytes(text: string): number {
  const n = positiveInt(text)
  if (n < minPayloadBytes)
    throw new InvalidArgumentError(`expected at least ${minPayloadBytes} bytes, room for the sequence stamp (got ${text})`)
  return n
}

function duration(text: string, minMs: number): number {
  try {
    return readDurationMs(text, minMs)
  } catch (err) {
    throw new InvalidArgumentError(messageOf(err))
  }
}

/** A duration of at least 1 ms. */
export const durationMs = (text: string): number => duration(text, 1)
/** A duration that may be zero (a warm-up can be skipped). */
export const durationOrZeroMs = (text: string): number => duration(text, 0)

export function transportList(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (names.length === 0) throw new InvalidArgumentError(`expected one or more of ${transportNames.join(', ')}`)
  for (const name of names) {
    if (!transportNames.includes(name))
      throw new InvalidArgumentError(`unknown transport ${name}; choose from ${transportNames.join(', ')}`)
  }
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`a transport is named twice (got ${text})`)
  return names
}

/** A `--format` parser for one kind of report: the names are the format registry's. */
function formatOf<K extends ReportKind>(kind: K): (text: string) => FormatName<K> {
  const names: readonly string[] = formatNames(kind)
  return (text) => {
    if (!names.includes(text)) throw new InvalidArgumentError(`expected ${names.join(', ')} (got ${text})`)
    return text as FormatName<K>
  }
}

export const runFormat = formatOf('run')
export const capacityFormat = formatOf('capacity')
export const compareFormat = formatOf('compare')

export function port(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (got ${text})`)
  return n
}

/** An http(s) origin: scheme, host and optional port; no path, since routes hang off the root. */
export function targetOrigin(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidArgumentError(`expected a URL such as http://127.0.0.1:8080 (got ${text})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`expected http:// or https:// (got ${text})`)
  if (url.pathname !== '/' || url.search !== '') throw new InvalidArgumentError(`expected the server's origin with no path (got ${text})`)
  return url.origin
}

/** A flag given once per item: each value appended to the ones before. */
export function collect(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text]
}

/** `p50,p99.9,conns`: the table's columns after the transport, by CSV column, compare name or composed name. */
export function tableColumnList(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const known = tableColumnNames()
  if (names.length === 0) throw new InvalidArgumentError(`expected one or more of ${known.join(', ')}`)
  return names.map((name) => {
    const column = findTableColumn(name)
    if (column === undefined) throw new InvalidArgumentError(`unknown column ${name}; choose from ${known.join(', ')}`)
    return column.name
  })
}

/** `p50,p99_ms,lost`: metrics compare shows, by short name or CSV column. */
export function metricList(text: string): Metric[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (names.length === 0) throw new InvalidArgumentError(`expected one or more of ${metricNames.join(', ')}`)
  const chosen = names.map((name) => metricNamed(name))
  return metrics.filter((m) => chosen.includes(m))
}

function metricNamed(name: string): Metric {
  const metric = findMetric(name)
  if (metric === undefined) throw new InvalidArgumentError(`unknown metric ${name}; choose from ${metricNames.join(', ')}`)
  return metric
}

function rules<T>(text: string, parseOne: (part: string) => T): T[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (parts.length === 0) throw new InvalidArgumentError(`expected one or more rules (got ${text})`)
  return parts.map(parseOne)
}

/** `p99=10%,bytes_down_per_msg=5%`: how much each metric may grow over the baseline. */
export function maxRegression(text: string): RegressionLimit[] {
  return rules(text, (part) => {
    const match = /^([A-Za-z0-9_]+)\s*=\s*(\d+(?:\.\d+)?)\s*%$/.exec(part)
    if (!match) throw new InvalidArgumentError(`expected metric=percent such as p99=10% (got ${part})`)
    return { metric: metricNamed(match[1]!), maxIncrease: Number(match[2]) / 100 }
  })
}

/** `p99_ms>50,lost>0`: absolute budgets; the run fails when a comparison holds. */
export function failIf(text: string): Budget[] {
  return rules(text, (part) => {
    const match = /^([A-Za-z0-9_]+)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(part)
    if (!match) throw new InvalidArgumentError(`expected metric, operator (> >= < <= ==) and number such as p99_ms>50 (got ${part})`)
    return { metric: metricNamed(match[1]!), operator: match[2] as Operator, limit: Number(match[3]) }
  })
}

/** A size in bytes: a whole number, or one with kb or mb (1024-based). */
export function bytes(text: string): number {
  const match = /^(\d+)(kb|mb)?$/i.exec(text.trim())
  const n = match ? Number(match[1]) * (match[2] === undefined ? 1 : match[2].toLowerCase() === 'kb' ? 1024 : 1024 * 1024) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a size such as 65536, 64kb or 1mb (got ${text})`)
  return n
}

/** A bearer token: RFC 6750 token characters, long enough not to be guessed. */
export function token(text: string): string {
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(text))
    throw new InvalidArgumentError('expected letters, digits and ._~+/- only (an RFC 6750 bearer token)')
  if (text.length < 16) throw new InvalidArgumentError(`expected at least 16 characters (got ${text.length}); try: openssl rand -hex 16`)
  return text
}

/** One more browser origin for `--cors` (repeatable): `*`, or an origin exactly as a browser sends it (`https://app.example:8443`). */
export function corsOrigin(text: string, previous: string[] = []): string[] {
  if (text === '*') return [...previous, text]
  let origin: string | undefined
  try {
    origin = new URL(text).origin
  } catch {
    origin = undefined
  }
  if (origin === undefined || origin === 'null' || origin !== text) {
    throw new InvalidArgumentError(
      `expected * or an origin such as https://app.example:8443 (scheme, host, port; no path or trailing slash) (got ${text})`,
    )
  }
  return [...previous, text]
}

/** A transport to push, with the send mode when the list gives one (`websocket:socket`). */
export interface TransportEntry {
  name: string
  sendMode?: SendMode
}

/**
 * `sse,websocket,websocket:socket`: transports in order; a transport with its own sender
 * (WebSocket) may name how userA sends, so both capacities come out of one command.
 */
export function transportEntryList(text: string): TransportEntry[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (parts.length === 0) throw new InvalidArgumentError(`expected one or more of ${transportNames.join(', ')}`)
  const entries = parts.map((part): TransportEntry => {
    const [name = '', mode, extra] = part.split(':')
    if (!transportNames.includes(name))
      throw new InvalidArgumentError(`unknown transport ${name}; choose from ${transportNames.join(', ')}`)
    if (mode === undefined) return { name }
    if (extra !== undefined || (mode !== 'post' && mode !== 'socket'))
      throw new InvalidArgumentError(`expected ${name}:post or ${name}:socket (got ${part})`)
    if (findTransport(name)?.capabilities.sends === 'post')
      throw new InvalidArgumentError(`${name} always sends by POST; drop :${mode} (got ${part})`)
    return { name, sendMode: mode }
  })
  const keys = entries.map((e) => `${e.name}:${e.sendMode ?? ''}`)
  if (new Set(keys).size !== keys.length) throw new InvalidArgumentError(`a transport is named twice (got ${text})`)
  return entries
}

/** How much each capacity step multiplies the rate by: above 1, so the climb moves, and at most 10. */
export function growthFactor(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 1 || n > 10)
    throw new InvalidArgumentError(`expected a number above 1 and at most 10, such as 1.5 (got ${text})`)
  return n
}

/** Bisections after the first failing step: 0 (none) up to the configured most. */
export function retryCount(text: string): number {
  const n = wholeNumber(text)
  if (n > capacityTuning.maxRetries) throw new InvalidArgumentError(`expected 0 to ${capacityTuning.maxRetries} (got ${text})`)
  return n
}

export function refineCount(text: string): number {
  const n = wholeNumber(text)
  if (n > capacityTuning.maxRefine) throw new InvalidArgumentError(`expected 0 to ${capacityTuning.maxRefine} (got ${text})`)
  return n
}
