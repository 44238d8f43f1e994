import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../src/context.js'

/** The published schema of a run's JSON results (docs/results-v1.schema.json). */
export const resultsSchemaPath = join(projectRoot, 'docs', 'results-v1.schema.json')

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
const validate = ajv.compile(JSON.parse(readFileSync(resultsSchemaPath, 'utf8')) as object)

/** The schema's complaints about a parsed results file, one line each; empty when it conforms. */
export function resultsSchemaErrors(data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
}
