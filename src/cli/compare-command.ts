import { compareResults } from '../baseline/compare.js'
import { metrics, type Metric } from '../baseline/metrics.js'
import { readResults } from '../baseline/read.js'
import { assertSameSettings } from '../baseline/settings.js'
import { UserError } from '../errors.js'
import { renderReport, type FormatName } from '../report/formats.js'

export interface CompareFlags {
  metrics?: Metric[]
  format: FormatName<'compare'>
  allowSettingsChange?: boolean
}

/** `compare base.csv new.csv …`: every file against the first, one table per metric group. */
export async function compareCommand(paths: string[], flags: CompareFlags): Promise<void> {
  if (paths.length < 2) throw new UserError(`compare needs at least two result files, the first being the base (got ${paths.length})`)
  const files = await Promise.all(paths.map((p) => readResults(p)))
  const [base, ...others] = files
  if (flags.allowSettingsChange !== true) for (const other of others) assertSameSettings(base!, other)
  const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
  process.stdout.write(renderReport('compare', flags.format, compareResults(files, flags.metrics ?? metrics), { colour }))
}
