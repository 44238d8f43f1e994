import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunReport } from '../results/report.js'
import { formatCsv } from './csv.js'
import { formatJson } from './json.js'

export interface ResultFiles {
  csv: string
  json: string
}

/** `results/2026-11-26T13-05-00Z-run`: sortable, and safe on every file system. */
export function resultBaseName(startedAt: string, name = 'run'): string {
  return `${startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${name}`
}

/**
 * Writes the run's CSV and JSON side by side. Called after every transport, so a run that
 * fails late keeps what it finished; each write replaces the file whole (write, then rename).
 */
export async function writeResults(outDir: string, report: RunReport): Promise<ResultFiles> {
  return writeResultPair(outDir, resultBaseName(report.context.startedAt), { csv: formatCsv(report), json: formatJson(report) })
}

/** Writes `<outDir>/<baseName>.csv` and `.json`, each replaced whole. */
export async function writeResultPair(outDir: string, baseName: string, texts: { csv: string; json: string }): Promise<ResultFiles> {
  await mkdir(outDir, { recursive: true })
  const base = join(outDir, baseName)
  const files = { csv: `${base}.csv`, json: `${base}.json` }
  await replace(files.csv, texts.csv)
  await replace(files.json, texts.json)
  return files
}

async function replace(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text)
  await rename(`${path}.tmp`, path)
}
