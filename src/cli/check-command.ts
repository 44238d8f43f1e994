import { readResults } from '../baseline/read.js'
import { UserError } from '../errors.js'
import { applyGate, assertComparable, loadBaseline, wantsGate, type GateFlags } from './gate-flags.js'

/** `check new.json --baseline base.json --max-regression p99=10%`: the gate of `run`, on saved results. */
export async function checkCommand(file: string, flags: GateFlags): Promise<void> {
  if (!wantsGate(flags)) throw new UserError('check: nothing to check; give --baseline with --max-regression, or --fail-if')
  const baseline = await loadBaseline(flags)
  const now = await readResults(file)
  assertComparable(baseline, now, flags)
  const checks = await applyGate(now, baseline, flags)
  process.stderr.write(`${checks.length} checks passed\n`)
}
