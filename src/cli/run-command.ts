import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { comparableSettingsOf, resultFileOf } from '../baseline/read.js'
import { ExitCode, UserError } from '../errors.js'
import { parseFaults } from '../faults/spec.js'
import type { LinkFlags } from '../link/spec.js'
import type { Shard } from '../load/partition.js'
import type { TransportResult } from '../metrics/summarise.js'
import { formatCsv } from '../report/csv.js'
import { resultBaseName } from '../report/files.js'
import { renderReport, type FormatName } from '../report/formats.js'
import { formatJson } from '../report/json.js'
import { wideColumns } from '../report/table.js'
import type { RunReport } from '../results/report.js'
import { runBenchmark, runSettingsOf, type RunOptions } from '../run.js'
import { checkFeasibility } from '../scenario/feasibility.js'
import { loadScenario } from '../scenario/load.js'
import { toRunOptions } from '../scenario/options.js'
import { applyFlags, type FlagRef, type ScenarioFlags } from '../scenario/overrides.js'
import { formatScenario } from '../scenario/print.js'
import { defaultScenario, type Scenario } from '../scenario/scenario.js'
import { defaultLimits } from '../server/limits.js'
import { completeSettings } from '../transports/setting-values.js'
import { sweepRows } from '../transports/sweeps.js'
import { formatMs } from '../units.js'
import { browserOptionsOf, type BrowserFlags } from './browser-options.js'
import { applyGate, assertComparable, loadBaseline, wantsGate, type GateFlags } from './gate-flags.js'
import { linkFromFlags } from './link-options.js'
import { MeasuringOutput, type ResultWriter } from './measuring-output.js'
import { assertWritable, writeHtmlReport } from './report-command.js'
import { resolveServer, type ServerFlags } from './server-options.js'

/** `run`'s flags after commander has parsed and checked each one. */
export interface RunFlags extends ScenarioFlags, GateFlags, ServerFlags, LinkFlags, BrowserFlags {
  dryRun?: boolean
  out: string
  save: boolean
  format: FormatName<'run'>
  quiet?: boolean
  repeat: number
  workers: number
  /** The table's columns: --columns, else every one with --wide, else the narrow default. */
  columns?: string[]
  wide?: boolean
  /** --shard i/n: this machine's share of a run spread over n. */
  shard?: Shard
  /** --start-at: epoch ms at which the schedule starts. */
  startAt?: number
  /** --html alone: beside the results, same base name; --html FILE: there. */
  html?: string | true
  /** --faults: as typed, parsed with the scenario's (faults/spec.ts). */
  faults?: string
  /** --heartbeat: the embedded server's heartbeat interval, ms. */
  heartbeat?: number
}

/** What `run` was asked for beyond its flags: a scenario, and which flags were typed. */
export interface RunRequest {
  /** A shipped scenario's name or a file path; undefined runs pairs from the flags alone. */
  scenario: string | undefined
  given: (flag: FlagRef) => boolean
}

export async function runCommand(flags: RunFlags, request: RunRequest): Promise<void> {
  const base = request.scenario === undefined ? defaultScenario() : loadScenario(request.scenario)
  const scenario = applyFlags(base, flags, request.scenario === undefined ? () => true : request.given)
  // Link flags replace a scenario's link block as a whole.
  const link = linkFromFlags(flags) ?? scenario.link
  if (link !== undefined) scenario.link = link
  if (flags.faults !== undefined) scenario.faults = parseFaults(flags.faults)
  if (scenario.faults) checkFaults(scenario)
  if (flags.dryRun === true) {
    process.stdout.write(formatScenario(scenario))
    return
  }
  const output = new MeasuringOutput<RunReport>(flags, runFiles)
  checkWorkers(flags.workers, flags.shard ? Math.floor(scenario.groups / flags.shard.count) : scenario.groups)
  if (flags.shard) checkShard(flags, flags.shard, scenario)
  for (const warning of checkFeasibility(flags.shard ? shareOf(scenario, flags.shard.count) : scenario))
    output.notice(`warning: ${warning}`)
  const options = await resolveRunOptions(scenario, flags)
  if (typeof flags.html === 'string') await assertWritable(flags.html, '--html')
  await output.prepare([['--junit', flags.junit]])
  const baseline = await loadBaseline(flags)
  assertComparable(baseline, { path: 'this run', settings: comparableSettingsOf(runSettingsOf(options)) }, flags)
  let finished: RunReport | undefined
  const startedMs = performance.now()
  const run = runBenchmark(options, {
    ...(output.progress.enabled ? { onProgress: output.progress.update } : {}),
    onTransportDone: (result, partial) => {
      output.notice(
        `${result.transport}: ${result.delivered}/${result.sent} delivered, p50 ${formatMs(result.latency.p50Ms)} ms${browserNote(result)}`,
      )
      finished = partial
      // Incomplete until the last row is in: a run killed outright leaves files that say so.
      output.keep({ ...partial, results: [...partial.results], complete: false })
    },
  })
  const columns = flags.columns ?? (flags.wide === true ? wideColumns : undefined)
  const report = await untilInterrupted(run).catch(async (err: unknown) => {
    // What finished is still printed and kept, marked incomplete, before the run's own failure line.
    if (finished !== undefined) {
      const partial: RunReport = { ...finished, results: [...finished.results], complete: false }
      output.keep(partial)
      await output.finish(() => process.stdout.write(renderReport('run', flags.format, partial, columns ? { columns } : {})))
    }
    // With nothing finished, the failure's own line says it all.
    const rows = finished?.results.length ?? 0
    if (rows > 0)
      output.notice(`interrupted after ${formatMs(performance.now() - startedMs)} ms, ${rows} row${rows === 1 ? '' : 's'} finished`)
    throw err
  })
  output.keep(report)
  await output.finish(() => process.stdout.write(renderReport('run', flags.format, report, columns ? { columns } : {})))
  // After the CSV and JSON are safe: a page that fails to write loses nothing measured.
  if (flags.html !== undefined) output.notice(`report written to ${await saveHtml(flags, report)}`)
  assertTrustworthy(report)
  if (wantsGate(flags)) {
    const checks = await applyGate(resultFileOf(report, 'this run'), baseline, flags)
    output.notice(`gate: ${checks.length} checks passed`)
  }
}

/** A row marked invalid (the target restarted inside its window) fails the run, after its results are written, before any gate. */
function assertTrustworthy(report: RunReport): void {
  const invalid = report.results.filter((r) => typeof r.invalid === 'string')
  if (invalid.length === 0) return
  const rows = invalid.map((r) => r.transport).join(', ')
  throw new UserError(
    `${rows}: ${invalid[0]!.invalid}; the row is marked invalid in the results; measure again on a server that stays up`,
    ExitCode.RuntimeFailure,
  )
}

/** Exit codes of a run stopped by a signal: 128 + the signal's number. */
const signalExit = { SIGINT: 130, SIGTERM: 143 } as const

/** `run`, unless SIGINT or SIGTERM comes first: then a failure with the signal's exit code. */
async function untilInterrupted<T>(run: Promise<T>): Promise<T> {
  let onSignal: ((signal: keyof typeof signalExit) => void) | undefined
  const interrupted = new Promise<never>((_resolve, reject) => {
    onSignal = (signal) => reject(new UserError(`stopped by ${signal}`, signalExit[signal] as ExitCode))
  })
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, () => onSignal?.(signal)] as const)
  for (const [signal, handler] of handlers) process.once(signal, handler)
  try {
    return await Promise.race([run, interrupted])
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler)
  }
}

/** With browser receivers: the browser, its pages and the clock offset their receipts were corrected by. */
function browserNote({ browser: b }: TransportResult): string {
  if (b === undefined) return ''
  const offset = `${b.clockOffsetMs >= 0 ? '+' : ''}${b.clockOffsetMs.toFixed(3)} ms ± ${b.clockUncertaintyMs.toFixed(3)} ms`
  return ` (${b.browser}: ${b.pages} page${b.pages === 1 ? '' : 's'} in ${b.profiles} profile${b.profiles === 1 ? '' : 's'}, ${b.receiversPerPage} receiver${b.receiversPerPage === 1 ? '' : 's'} per page${b.protocol ? ` over ${b.protocol}` : ''}; page clock offset ${offset}, spread ${b.clockOffsetSpreadMs.toFixed(3)} ms)`
}

/** A run's files: `<start>-run.csv` and `.json`. */
const runFiles: ResultWriter<RunReport> = {
  baseName: (report) => resultBaseName(report.context.startedAt),
  render: (report) => ({ csv: formatCsv(report), json: formatJson(report) }),
}

/** The run's HTML report: where --html says, else beside the result files (in --out even with --no-save). */
async function saveHtml(flags: RunFlags, report: RunReport): Promise<string> {
  const base = join(flags.out, runFiles.baseName(report))
  const file = typeof flags.html === 'string' ? flags.html : `${base}.html`
  if (typeof flags.html !== 'string') await mkdir(flags.out, { recursive: true }).catch(() => undefined)
  await writeHtmlReport(file, [{ path: flags.save ? `${base}.json` : 'this run', run: report }], '--html', ExitCode.RuntimeFailure)
  return file
}

async function resolveRunOptions(s: Scenario, flags: RunFlags): Promise<RunOptions> {
  const server = await resolveServer(flags)
  const browser = browserOptionsOf(s.clients, flags, server.access, s.transports)
  const { shard, startAt } = flags
  return {
    ...toRunOptions(s),
    repeat: flags.repeat,
    workers: flags.workers,
    ...server,
    ...(browser ? { browser } : {}),
    ...(shard ? { shard } : {}),
    ...(startAt ? { startAt } : {}),
    ...(flags.heartbeat !== undefined ? { limits: { ...defaultLimits, heartbeatMs: flags.heartbeat } } : {}),
  }
}

/** What one of `count` shards drives, at most: its groups and idle receivers (stage targets too), for the feasibility check. */
function shareOf(s: Scenario, count: number): Scenario {
  const part = (n: number): number => Math.ceil(n / count)
  const stages = s.stages.map((stage) => (stage.groups === undefined ? stage : { ...stage, groups: part(stage.groups) }))
  return { ...s, groups: part(s.groups), idle: part(s.idle), stages }
}

/** A shard is one of n machines on one schedule against one server: one row, once, with whole groups each. */
function checkShard(flags: RunFlags, shard: Shard, s: Scenario): void {
  const flag = `--shard ${shard.index}/${shard.count}`
  if (flags.target === undefined) throw new UserError(`${flag} needs --target: every shard must load the same server`)
  if (flags.startAt === undefined) throw new UserError(`${flag} needs --start-at: every shard must start on one schedule`)
  if (s.groups < shard.count)
    throw new UserError(`${flag}: more shards than the ${s.groups} groups of this run; each shard needs at least one`)
  if (flags.repeat > 1) throw new UserError(`${flag}: a sharded run measures once; drop --repeat ${flags.repeat}`)
  const o = toRunOptions(s)
  const rows = o.transports.flatMap((t) => sweepRows(t, completeSettings(o.settings), o.sweeps)).length
  if (rows > 1)
    throw new UserError(`${flag}: a sharded run measures one transport; give --transports one name (run the shards again per transport)`)
}

/** Faults are injected on Node receivers (in this process or in --workers): a browser's own would dodge them. */
function checkFaults(s: Scenario): void {
  if (s.clients === 'browser') throw new UserError('--faults: faults are injected on Node receivers; drop --clients browser')
}

/** Each worker drives whole groups, so there can be no more workers than groups. */
function checkWorkers(workers: number, groups: number): void {
  if (workers > groups)
    throw new UserError(
      `--workers ${workers}: more than the ${groups} group${groups === 1 ? '' : 's'} of this run; each worker needs at least one (use --workers ${groups} or fewer)`,
    )
}
