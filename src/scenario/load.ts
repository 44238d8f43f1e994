import { readdirSync, readFileSync } from 'node:fs'
import { basename, extname, join, relative } from 'node:path'
import { parseDocument } from 'yaml'
import { projectRoot } from '../context.js'
import { errorCode, UserError } from '../errors.js'
import { resolveFile, type Scenario } from './scenario.js'
import type { ScenarioFile } from './schema.js'
import { formatProblem, schemaProblems, type Problem } from './validate.js'

/** Where the shipped scenarios live, one YAML file each. */
export const scenariosDir = join(projectRoot, 'scenarios')

const extensions = ['.yaml', '.yml']

/** Names of the shipped scenarios, sorted. */
export function shippedNames(): string[] {
  return readdirSync(scenariosDir)
    .filter((f) => extensions.includes(extname(f)))
    .map((f) => basename(f, extname(f)))
    .sort()
}

/** A name such as `chat` means a shipped scenario; anything with a slash or an extension, a file (JSON is YAML too). */
export function locate(ref: string): { path: string; label: string } {
  if (ref.includes('/') || ref.includes('\\') || [...extensions, '.json'].includes(extname(ref))) return { path: ref, label: ref }
  const known = shippedNames()
  if (!known.includes(ref)) {
    throw new UserError(
      `scenario ${ref}: no such shipped scenario; choose from ${known.join(', ')} (see 'transport-bench scenarios'), or give a file path such as ./my.yaml`,
    )
  }
  const path = join(scenariosDir, `${ref}.yaml`)
  return { path, label: relative(process.cwd(), path) || path }
}

/** Reads, parses and validates a scenario; every problem at once in one UserError (exit 2). */
export function loadScenario(ref: string): Scenario {
  const { path, label } = locate(ref)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UserError(`${label}: cannot read the scenario file (${errorCode(err) ?? 'error'}); check the path`)
  }
  return parseScenario(text, label, basename(path, extname(path)))
}

/** The pure part of loading: text in, a scenario or a UserError listing every problem out. */
export function parseScenario(text: string, label: string, name: string): Scenario {
  const doc = parseDocument(text, { prettyErrors: true })
  if (doc.errors.length > 0) {
    throw new UserError(
      doc.errors
        .map(
          (e) =>
            `${label}: ${where(e.linePos?.[0])}not valid YAML (${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`,
        )
        .join('\n'),
    )
  }
  const value: unknown = doc.toJS()
  const problems = schemaProblems(value)
  if (problems.length > 0) throw invalid(label, problems)
  const resolved = resolveFile(name, value as ScenarioFile)
  if ('problems' in resolved) throw invalid(label, resolved.problems)
  return resolved.scenario
}

function where(pos: { line: number; col: number } | undefined): string {
  return pos === undefined ? '' : `line ${pos.line}, column ${pos.col}: `
}

function invalid(label: string, problems: Problem[]): UserError {
  return new UserError(problems.map((p) => formatProblem(label, p)).join('\n'))
}

/** First line of a shipped scenario's description, for `transport-bench scenarios`. */
export function describeShipped(name: string): string {
  return loadScenario(name).description.split('\n')[0]!.trim()
}
