import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, test } from 'node:test'
import ts from 'typescript'
import { projectRoot } from '../../src/context.js'

/**
 * The source folders import one another one way only: a folder (or a file at the top of src/)
 * may not reach itself again through the folders it imports. TypeScript's own pre-processor
 * lists each file's imports, so no hand-written parsing decides what an import is.
 */
const srcDir = join(projectRoot, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** `load/` for anything under src/load, `run.ts` for a file at the top of src/. */
function unitOf(file: string): string {
  const parts = relative(srcDir, file).split('/')
  return parts.length === 1 ? parts[0]! : `${parts[0]}/`
}

/** Unit → the units it imports, with one file-level import as the example of each edge. */
function importGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>()
  for (const file of sourceFiles(srcDir)) {
    const from = unitOf(file)
    const edges = graph.get(from) ?? new Map<string, string>()
    graph.set(from, edges)
    for (const imported of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue
      const target = resolve(dirname(file), imported.fileName.replace(/\.js$/, '.ts'))
      const to = unitOf(target)
      if (to !== from && !edges.has(to)) edges.set(to, `${relative(srcDir, file)} imports ${relative(srcDir, target)}`)
    }
  }
  return graph
}

/** Every cycle's path, found by depth-first search; empty when the graph points one way. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = []
  const done = new Set<string>()
  const visit = (unit: string, path: string[]): void => {
    const at = path.indexOf(unit)
    if (at >= 0) return void found.push([...path.slice(at), unit])
    if (done.has(unit)) return
    for (const next of graph.get(unit)?.keys() ?? []) visit(next, [...path, unit])
    done.add(unit)
  }
  for (const unit of graph.keys()) visit(unit, [])
  return found
}

describe('source layers', () => {
  const graph = importGraph()

  test('the graph is read from the real sources', () => {
    assert.ok(graph.get('run.ts')?.has('load/'), 'run.ts imports load/')
    assert.ok(graph.get('transports/')?.has('server/'), 'transports/ imports server/')
  })

  test('no folder imports itself back through others', () => {
    const explained = cycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => graph.get(cycle[i]!)!.get(to)!)
        .join('; '),
    )
    assert.deepEqual(explained, [])
  })

  test('the cycle finder sees a cycle when there is one', () => {
    const looped = new Map([
      ['a/', new Map([['b/', 'a/x.ts imports b/y.ts']])],
      ['b/', new Map([['a/', 'b/y.ts imports a/z.ts']])],
    ])
    assert.deepEqual(cycles(looped), [['a/', 'b/', 'a/']])
  })
})
