import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseResults, type ResultFile } from '../../src/baseline/read.js'

/** Tests run from dist/test/, the fixtures stay in test/fixtures/results/. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/results/${name}`, import.meta.url))
}

export async function fixture(name: string): Promise<ResultFile> {
  return parseResults(await readFile(fixturePath(name), 'utf8'), name)
}
