import { comparableSettingsOf, resultFileOf } from '../baseline/read.js'
import { errorCode, UserError } from '../errors.js'
import { writeResults } from '../report/files.js'
import { formats, type FormatName } from '../report/formats.js'
import type { RunReport } from '../results/report.js'
import { runBenchmark, runSettingsOf, type RunOptions } from '../run.js'
import { checkFeasibility } from '../scenario/feasibility.js'
import { loadScenario } from '../scenario/load.js'
import { toRunOptions } from '../scenario/options.js'
import { applyFlags, type ScenarioFlags } from '../scenario/overrides.js'
import { formatScenario } from '../scenario/print.js'
import { defaultScenario, type Scenario } from '../scenario/scenario.js'
import { formatMs } from '../units.js'
import { applyGate, assertComparable, loadBaseline, wantsGate, type GateFlags } from './gate-flags.js'
import { ProgressLine } from './progress.js'
import { resolveServer, type ServerFlags } from './server-options.js'

/** `run`'s flags after commander has parsed and checked each one. */
export interface RunFlags extends ScenarioFlags, GateFlags, ServerFlags {
  dryRun?: boolean
  out: string
  save: boolean
  format: FormatName
  quiet?: boolean
  repeat: number
  workers: number
}

/** What `run` was asked for beyond its flags: a scenario, and which flags were typed. */
export interface RunRequest {
  /** A shipped scenario's name or a file path; undefined runs pairs from the flags alone. */
  scenario: string | undefined
  given: (flag: keyof ScenarioFlags) => boolean
}

export async function runCommand(flags: RunFlags, request: RunRequest): Promise<void> {
  const base = request.scenario === undefined ? defaultScenario() : loadScenario(request.scenario)
  const scenario = applyFlags(base, flags, request.scenario === undefined ? () => true : request.given)
  if (flags.dryRun === true) {
    process.stdout.write(formatScenario(scenario))
    return
  }
  const notice = (text: string): void => {
    if (flags.quiet !== true) process.stderr.write(`${text}\n`)
  }
  checkWorkers(flags.workers, scenario.groups)
  for (const warning of checkFeasibility(scenario)) notice(`warning: ${warning}`)
  const options = await resolveRunOptions(scenario, flags)
  const baseline = await loadBaseline(flags)
  assertComparable(baseline, { path: 'this run', settings: comparableSettingsOf(runSettingsOf(options)) }, flags)
  const progress = new ProgressLine(flags.quiet === true)
  // Results are rewritten after each transport, one write at a time, so a late failure keeps the rest.
  let saving: Promise<string | undefined> = Promise.resolve(undefined)
  const report = await runBenchmark(options, {
    ...(progress.enabled ? { onProgress: progress.update } : {}),
    onTransportDone: (result, partial) => {
      progress.clear()
      notice(`${result.transport}: ${result.delivered}/${result.sent} delivered, p50 ${formatMs(result.latency.p50Ms)} ms`)
      if (flags.save) saving = saving.then(() => save(flags.out, partial))
    },
  })
  progress.clear()
  const written = await saving
  process.stdout.write(formats[flags.format](report))
  if (written !== undefined) notice(`results written to ${written}.{csv,json}`)
  if (wantsGate(flags)) {
    const checks = await applyGate(resultFileOf(report, 'this run'), baseline, flags)
    notice(`gate: ${checks.length} checks passed`)
  }
}

async function save(outDir: string, report: RunReport): Promise<string> {
  try {
    const files = await writeResults(outDir, report)
    return files.csv.replace(/\.csv$/, '')
  } catch (err) {
    throw new UserError(`--out ${outDir}: cannot write results there (${errorCode(err) ?? 'error'}); choose a writable folder`, 1)
  }
}

async function resolveRunOptions(s: Scenario, flags: RunFlags): Promise<RunOptions> {
  const server = await resolveServer(flags)
  return { ...toRunOptions(s), repeat: flags.repeat, workers: flags.workers, ...server }
}

/** Each worker drives whole groups, so there can be no more workers than groups. */
function checkWorkers(workers: number, groups: number): void {
  if (workers > groups)
    throw new UserError(
      `--workers ${workers}: more than the ${groups} group${groups === 1 ? '' : 's'} of this run; each worker needs at least one (use --workers ${groups} or fewer)`,
    )
}
