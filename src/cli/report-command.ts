import { constants } from 'node:fs'
import { access, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { checkCapacityReport, isCapacityJson } from '../baseline/read-capacity.js'
import { parseResults } from '../baseline/read.js'
import { errorCode, ExitCode, messageOf, UserError } from '../errors.js'
import { formatHtmlReport, loadPageAssets, type PageAssets, type ReportInput } from '../report/html/report.js'

export interface ReportFlags {
  out: string
}

/** `report a.json [b.json …] -o report.html`: one self-contained HTML page of the results, overlaid. */
export async function reportCommand(paths: string[], flags: ReportFlags): Promise<void> {
  const inputs = await Promise.all(paths.map(readReportInput))
  await assertWritable(flags.out, '-o')
  await writeHtmlReport(flags.out, inputs, '-o', ExitCode.BadInput)
  process.stderr.write(`report written to ${flags.out}\n`)
}

/** A result file as the report takes it: JSON of a run, a merge or a capacity search; CSV is refused (no histograms). */
export async function readReportInput(path: string): Promise<ReportInput> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new UserError(`${path}: cannot read it (${errorCode(err) ?? messageOf(err)}); give the path of a results .json`)
  }
  const data = jsonOrUndefined(text)
  if (isCapacityJson(data)) return { path, capacity: checkCapacityReport(data, path) }
  const file = parseResults(text, path)
  if (file.report === undefined) {
    throw new UserError(`${path}: the HTML report needs the JSON results, which carry the latency histograms; give the .json beside it`)
  }
  if (!file.report.results.every((r) => typeof r.histogram === 'string')) {
    throw new UserError(`${path}: a result has no latency histogram; rerun the benchmark`)
  }
  return { path, run: file.report }
}

function jsonOrUndefined(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined // parseResults names the file and the JSON error
  }
}

/** Fails before a long run, not after it, when the page could not be written where asked. */
export async function assertWritable(file: string, flag: string): Promise<void> {
  try {
    await access(dirname(file), constants.W_OK)
  } catch (err) {
    throw new UserError(`${flag} ${file}: cannot write there (${errorCode(err) ?? 'error'}); choose a writable path`)
  }
}

/** Renders and writes the page; a histogram that will not decode or a failed write is one line. */
export async function writeHtmlReport(file: string, inputs: readonly ReportInput[], flag: string, writeFailure: ExitCode): Promise<void> {
  const assets = await chartAssets()
  let html: string
  try {
    html = formatHtmlReport(inputs, assets)
  } catch (err) {
    throw new UserError(
      `${inputs.map((i) => i.path).join(' ')}: the report could not be made (${messageOf(err)}); rerun the benchmark that wrote it`,
    )
  }
  try {
    await writeFile(file, html)
  } catch (err) {
    throw new UserError(`${flag} ${file}: cannot write it (${errorCode(err) ?? 'error'}); choose a writable path`, writeFailure)
  }
}

async function chartAssets(): Promise<PageAssets> {
  try {
    return await loadPageAssets()
  } catch (err) {
    throw new UserError(
      `the charting library (uplot) could not be read from node_modules (${errorCode(err) ?? messageOf(err)}); reinstall with npm ci`,
      ExitCode.RuntimeFailure,
    )
  }
}
