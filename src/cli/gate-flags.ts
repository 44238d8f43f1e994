import { writeFile } from 'node:fs/promises'
import { describeViolation, evaluateGate, type Budget, type Check, type RegressionLimit } from '../baseline/gate.js'
import { formatJunit } from '../baseline/junit.js'
import { readResults, type ResultFile } from '../baseline/read.js'
import { assertSameSettings } from '../baseline/settings.js'
import { errorCode, ExitCode, UserError } from '../errors.js'

/** The flags `run` and `check` share: what to compare with, the rules, and where to report. */
export interface GateFlags {
  baseline?: string
  maxRegression?: RegressionLimit[]
  failIf?: Budget[]
  strict?: boolean
  junit?: string
  allowSettingsChange?: boolean
}

export function wantsGate(flags: GateFlags): boolean {
  return flags.baseline !== undefined || flags.maxRegression !== undefined || flags.failIf !== undefined
}

/** Reads and checks the baseline before anything is measured, so bad input fails in seconds. */
export async function loadBaseline(flags: GateFlags): Promise<ResultFile | undefined> {
  if (flags.maxRegression !== undefined && flags.baseline === undefined) {
    throw new UserError('--max-regression needs --baseline <results.json|csv> to compare with')
  }
  if (flags.baseline !== undefined && flags.maxRegression === undefined && flags.failIf === undefined) {
    throw new UserError('--baseline needs rules: add --max-regression such as p99=10%, or --fail-if such as p99_ms>50')
  }
  return flags.baseline === undefined ? undefined : readResults(flags.baseline)
}

export function assertComparable(baseline: ResultFile | undefined, now: Pick<ResultFile, 'path' | 'settings'>, flags: GateFlags): void {
  if (baseline !== undefined && flags.allowSettingsChange !== true) assertSameSettings(baseline, now)
}

/**
 * Runs every check, writes the JUnit file if asked, prints one stderr line per violation and
 * fails with exit 3 when there is one.
 */
export async function applyGate(now: ResultFile, baseline: ResultFile | undefined, flags: GateFlags): Promise<Check[]> {
  const checks = evaluateGate(now, baseline, {
    maxRegression: flags.maxRegression ?? [],
    failIf: flags.failIf ?? [],
    strict: flags.strict === true,
  })
  if (flags.junit !== undefined) await writeJunit(flags.junit, checks)
  const failed = checks.filter((c) => !c.passed)
  for (const c of failed) process.stderr.write(`${describeViolation(c)}\n`)
  if (failed.length > 0) {
    const against = baseline === undefined ? 'the budgets' : `baseline ${baseline.path}`
    throw new UserError(`${failed.length} of ${checks.length} checks failed against ${against}`, ExitCode.Regression)
  }
  return checks
}

async function writeJunit(path: string, checks: readonly Check[]): Promise<void> {
  try {
    await writeFile(path, formatJunit(checks))
  } catch (err) {
    throw new UserError(`--junit ${path}: cannot write it (${errorCode(err) ?? 'error'}); choose a writable path`, ExitCode.RuntimeFailure)
  }
}
