import { Ajv, type ErrorObject } from 'ajv'
import { scenarioSchema, type ScenarioFile } from './schema.js'
import { nearest } from './suggest.js'

/** One problem in a scenario file: where, what is wrong, what was there, what would do. */
export interface Problem {
  /** `settings.short-polling.interval[2]`, or `(root)`. */
  path: string
  what: string
  got?: unknown
  expected?: string
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true })
ajv.addVocabulary(['expected'])
const check = ajv.compile<ScenarioFile>(scenarioSchema)

/** Every problem the schema finds, at once; an empty list means `value` is a ScenarioFile. */
export function schemaProblems(value: unknown): Problem[] {
  if (check(value)) return []
  return (check.errors ?? []).map(toProblem)
}

const what: Record<string, string> = {
  type: 'wrong type',
  pattern: 'malformed',
  minimum: 'too small',
  exclusiveMinimum: 'too small',
  maximum: 'too large',
  minLength: 'empty',
  minItems: 'empty list',
  maxItems: 'too many',
  uniqueItems: 'a value is repeated',
  enum: 'unknown value',
}

function toProblem(error: ErrorObject): Problem {
  const parent = error.parentSchema as { expected?: string; properties?: Record<string, { expected?: string }> } | undefined
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty
    const known = Object.keys(parent?.properties ?? {})
    return {
      path: pathOf(error.instancePath, key),
      what: `unknown key, did you mean ${nearest(key, known) ?? 'nothing'}?`,
      got: key,
      expected: `one of ${known.join(', ')}`,
    }
  }
  if (error.keyword === 'required') {
    const key = (error.params as { missingProperty: string }).missingProperty
    const expected = parent?.properties?.[key]?.expected
    return { path: pathOf(error.instancePath, key), what: 'missing', ...(expected ? { expected } : {}) }
  }
  return {
    path: pathOf(error.instancePath),
    what: what[error.keyword] ?? error.message ?? error.keyword,
    got: error.data,
    ...(parent?.expected ? { expected: parent.expected } : {}),
  }
}

/** `/settings/short-polling/interval/2` → `settings.short-polling.interval[2]`. */
function pathOf(pointer: string, key?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (key !== undefined) parts.push(key)
  const path = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
  return path === '' ? '(root)' : path
}

/** `file: path: what (got X; expected Y)`: one line, as the CLI prints it. */
export function formatProblem(file: string, problem: Problem): string {
  const details = [
    problem.got !== undefined ? `got ${show(problem.got)}` : '',
    problem.expected ? `expected ${problem.expected}` : '',
  ].filter(Boolean)
  return `${file}: ${problem.path}: ${problem.what}${details.length > 0 ? ` (${details.join('; ')})` : ''}`
}

function show(value: unknown): string {
  if (typeof value === 'string') return value
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
