import { UserError } from '../errors.js'
import type { RunReport } from '../results/report.js'
import { mergeReports } from './merge.js'

/** A result file as merge reads it: where it came from, and the report in it. */
export interface ShardFile {
  path: string
  report: RunReport
}

interface ShardId {
  index: number
  count: number
}

function shardIdOf(report: RunReport): ShardId | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(report.context.settings.shard ?? '')
  return match ? { index: Number(match[1]), count: Number(match[2]) } : undefined
}

/** True when every file is a shard (`run --shard`); refuses, in one line, a mix of shards and whole runs. */
export function areShards(files: readonly ShardFile[]): boolean {
  const shard = files.find((f) => shardIdOf(f.report) !== undefined)
  const whole = files.find((f) => shardIdOf(f.report) === undefined)
  if (shard && whole)
    throw new UserError(
      `${shard.path} is shard ${shard.report.context.settings.shard} of a run but ${whole.path} is not a shard; merge one run's shards together, or whole runs together`,
    )
  return shard !== undefined
}

/**
 * Pure: refuses, in one line, shards that are not the n shards of one run: of another count,
 * another start instant, another transport, one given twice, or one missing. Returns the
 * files in shard order.
 */
export function checkShards(files: readonly ShardFile[]): ShardFile[] {
  const ids = files.map((f) => shardIdOf(f.report)!)
  const first = files[0]!
  const { count } = ids[0]!
  const startAt = first.report.context.settings.startAt
  const transports = (f: ShardFile): string => f.report.results.map((r) => r.transport).join(',')
  files.forEach((f, i) => {
    const other = `shards of different runs: ${first.path} is shard ${ids[0]!.index}/${count}`
    if (ids[i]!.count !== count) throw new UserError(`${other}, ${f.path} is shard ${ids[i]!.index}/${ids[i]!.count}`)
    if (f.report.context.settings.startAt !== startAt)
      throw new UserError(
        `${other} started at ${startAt ?? 'no set instant'}, ${f.path} at ${f.report.context.settings.startAt ?? 'no set instant'}`,
      )
    if (transports(f) !== transports(first)) throw new UserError(`${other} measured ${transports(first)}, ${f.path} ${transports(f)}`)
  })
  const byIndex = new Map<number, ShardFile>()
  files.forEach((f, i) => {
    const twice = byIndex.get(ids[i]!.index)
    if (twice) throw new UserError(`${twice.path} and ${f.path} are both shard ${ids[i]!.index}/${count}; give each shard's result once`)
    byIndex.set(ids[i]!.index, f)
  })
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i))
  if (missing.length > 0)
    throw new UserError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a run's ${count} shards merge only all together`,
    )
  return Array.from({ length: count }, (_, i) => byIndex.get(i)!)
}

/**
 * Pure: the n shards of one run as the one result a single run of that size would have made.
 * Each field by its `shards` rule (fields.ts): the shards ran at once, so counters and rates
 * add up, the window is one window, and what the server reported is counted once.
 */
export function mergeShards(shards: readonly RunReport[]): RunReport {
  const merged = mergeReports(shards, 'shards')
  return { ...merged, context: { ...merged.context, settings: { ...merged.context.settings, shard: `all/${shards.length}` } } }
}

/**
 * One line per transport: when each shard's window opened, after the instant it was due
 * (--start-at plus the warm-up, each on its own machine's wall clock), and the skew between
 * the earliest and the latest.
 */
export function describeSkew(shards: readonly RunReport[]): string[] {
  const first = shards[0]
  if (first === undefined) return []
  const dueMs = Date.parse(first.context.settings.startAt ?? '') + first.context.settings.warmupMs
  return first.results.map(({ transport }) => {
    const opened = shards.map((s) => s.results.find((r) => r.transport === transport)?.windowOpenedAtMs ?? Number.NaN)
    if (!opened.every(Number.isFinite)) return `${transport}: a shard did not record when its window opened`
    const after = opened.map((ms, i) => `shard ${i} +${(ms - dueMs).toFixed(3)} ms`).join(', ')
    return `${transport}: windows opened after their due instant: ${after}; skew ${(Math.max(...opened) - Math.min(...opened)).toFixed(3)} ms`
  })
}
