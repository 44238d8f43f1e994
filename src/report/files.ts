import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface ResultFiles {
  csv: string
  json: string
}

/** `results/2026-11-26T13-05-00Z-run`: sortable, and safe on every file system. */
export function resultBaseName(startedAt: string, name = 'run'): string {
  return `${startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${name}`
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
