import { writeFile } from 'node:fs/promises'
import { mergeReports } from '../baseline/merge.js'
import { readResults } from '../baseline/read.js'
import { assertSameSettings } from '../baseline/settings.js'
import { areShards, checkShards, describeSkew, mergeShards } from '../baseline/shards.js'
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
  const shards = areShards(files.map((f, i) => ({ path: f.path, report: reports[i]! })))
  const ordered = shards ? checkShards(files.map((f, i) => ({ path: f.path, report: reports[i]! }))).map((f) => f.report) : reports
  const merged = mergeOrExplain(ordered, paths, shards)
  try {
    await writeFile(flags.out, formatJson(merged))
  } catch (err) {
    throw new UserError(`-o ${flags.out}: cannot write it (${errorCode(err) ?? 'error'}); choose a writable path`, ExitCode.RuntimeFailure)
  }
  if (shards) for (const line of describeSkew(ordered)) process.stderr.write(`${line}\n`)
  process.stderr.write(`merged ${paths.length} ${shards ? 'shards' : 'files'} into ${flags.out}\n`)
}

function mergeOrExplain(reports: readonly RunReport[], paths: readonly string[], shards: boolean): RunReport {
  try {
    return shards ? mergeShards(reports) : mergeReports(reports)
  } catch (err) {
    throw new UserError(`merge ${paths.join(' ')}: a histogram could not be decoded (${messageOf(err)}); rerun the benchmark that wrote it`)
  }
}
