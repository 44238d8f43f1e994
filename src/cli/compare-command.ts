import { basename } from 'node:path'
import { styleText } from 'node:util'
import { compareResults } from '../baseline/compare.js'
import { defaultLabels } from '../baseline/labels.js'
import { metrics, type Metric } from '../baseline/metrics.js'
import { readResults, type ResultFile } from '../baseline/read.js'
import { settingsDifferences } from '../baseline/settings.js'
import { UserError } from '../errors.js'
import { renderReport, type FormatName } from '../report/formats.js'

export interface CompareFlags {
  metrics?: Metric[]
  format: FormatName<'compare'>
  /** One per file, in order; files past the last get the default. */
  label?: string[]
  /** Accepted and ignored: compare takes runs of any settings, and names the ones that differ. */
  allowSettingsChange?: boolean
}

/** Whether text for `stream` should carry colour: Node's styleText decides (NO_COLOR, FORCE_COLOR, a terminal with colours). */
export function colourFor(stream: NodeJS.WriteStream): boolean {
  return styleText('red', 'x', { stream }) !== 'x'
}

/** `compare base.csv new.csv …`: every file against the first, one narrow table per metric. */
export async function compareCommand(paths: string[], flags: CompareFlags): Promise<void> {
  if (paths.length < 2) throw new UserError(`compare needs at least two result files, the first being the base (got ${paths.length})`)
  const given = flags.label ?? []
  if (given.length > paths.length) {
    throw new UserError(`--label given ${given.length} times for ${paths.length} files; give at most one per file, in the files' order`)
  }
  const files = await Promise.all(paths.map((p) => readResults(p)))
  const labels = defaultLabels(files).map((label, i) => given[i] ?? label)
  const report = { tables: compareResults(files, flags.metrics ?? metrics, labels), notes: notesOf(files, labels) }
  process.stdout.write(renderReport('compare', flags.format, report, { colour: colourFor(process.stdout) }))
}

/** Which file each label stands for (when it is not the file's name), and the settings that differ from the base's. */
function notesOf(files: readonly ResultFile[], labels: readonly string[]): string[] {
  const named = labels.some((label, i) => label !== basename(files[i]!.path))
  const legend = named ? [`files: ${labels.map((label, i) => `${label} = ${files[i]!.path}`).join('; ')}`] : []
  const [base, ...others] = files
  const differing = others.flatMap((other, i) => {
    const differences = base!.settings && other.settings ? settingsDifferences(base!.settings, other.settings) : []
    return differences.length === 0 ? [] : [others.length === 1 ? differences.join(', ') : `${labels[i + 1]}: ${differences.join(', ')}`]
  })
  const settings = differing.length === 0 ? [] : [`settings that differ from the first file’s: ${differing.join('; ')}`]
  return [...legend, ...settings]
}
