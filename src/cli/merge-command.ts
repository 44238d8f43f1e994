import { writeFile } from 'node:fs/promises'
import { mergeReports } from '../baseline/merge.js'
import { readResults } from '../baseline/read.js'
import { assertSameSettings } from '../baseline/settings.js'
import { errorCode, ExitCode, messageOf, UserError } from '../errors.js'
import { formatJson } from '../report/json.js'
import type { RunReport } from '../results/report.js'

export interface MergeFlags {
  out: string
}

/** `merge a.json b.json -o all.json`: runs of the same settings as one, histograms added. */
export async function mergeCommand(paths: string[], flags: MergeFlags): Promise<void> {
  if (paths.length < 2) throw new UserError(`merge needs at least two JSON result files (got ${paths.length})`)
  const files = await Promise.all(paths.map((p) => readResults(p)))
  const reports: RunReport[] = files.map((f) => {
    if (f.report === undefined)
      throw new UserError(`${f.path}: merge needs the JSON results, which carry the histograms; give the .json beside it`)
    if (!f.report.results.every((r) => typeof r.histogram === 'string'))
      throw new UserError(`${f.path}: a result has no histogram; rerun the benchmark`)
    return f.report
  })
  for (const other of files.slice(1)) assertSameSettings(files[0]!, other, false)
  const merged = mergeOrExplain(reports, paths)
  try {
    await writeFile(flags.out, formatJson(merged))
  } catch (err) {
    throw new UserError(`-o ${flags.out}: cannot write it (${errorCode(err) ?? 'error'}); choose a writable path`, ExitCode.RuntimeFailure)
  }
  process.stderr.write(`merged ${paths.length} files into ${flags.out}\n`)
}

function mergeOrExplain(reports: readonly RunReport[], paths: readonly string[]): RunReport {
  try {
    return mergeReports(reports)
  } catch (err) {
    throw new UserError(`merge ${paths.join(' ')}: a histogram could not be decoded (${messageOf(err)}); rerun the benchmark that wrote it`)
  }
}
