import type { Command, Option } from 'commander'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { buildProgram } from '../../src/cli/program.js'
import { projectRoot } from '../../src/context.js'

/**
 * The README keeps a one-screen summary of every command's flags, with each default as
 * `--help` shows it. This reads that block and the program's own options, so the summary
 * cannot drift from the CLI.
 */
function summaryBlock(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
  const section = readme.split('## Flags at a glance')[1]
  assert.ok(section, 'the README has a "Flags at a glance" section')
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(block, 'the section has a code block')
  return block
}

/** Command name → the `[--flag value]` entries the summary shows for it (value undefined for a bare switch). */
function summarised(block: string): Map<string, Map<string, string | undefined>> {
  const commands = new Map<string, Map<string, string | undefined>>()
  let current: Map<string, string | undefined> | undefined
  for (const line of block.split('\n')) {
    const start = /^transport-bench (\S+)/.exec(line)
    if (start) commands.set(start[1]!, (current = new Map<string, string | undefined>()))
    for (const entry of line.matchAll(/\[(--[a-z0-9-]+)(?: ([^\]]+))?\]/g)) current?.set(entry[1]!, entry[2])
  }
  return commands
}

/** The default as `--help` prints it, or undefined when the flag has none worth showing. */
function shownDefault(option: Option): string | undefined {
  if (option.negate || option.defaultValue === undefined) return undefined
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription.replace(/^"(.*)"$/, '$1')
  return Array.isArray(option.defaultValue) ? option.defaultValue.join(',') : String(option.defaultValue)
}

function optionsOf(command: Command): Option[] {
  return command.options.filter((o) => o.long !== undefined && o.long !== '--help')
}

describe('the README flag summary', () => {
  const program = buildProgram()
  const summary = summarised(summaryBlock())

  test('lists every command the CLI has', () => {
    assert.deepEqual([...summary.keys()].sort(), program.commands.map((c) => c.name()).sort())
  })

  for (const command of program.commands) {
    test(`names exactly the flags of ${command.name()}, each with the default --help shows`, () => {
      const shown = summary.get(command.name()) ?? new Map<string, string | undefined>()
      assert.deepEqual(
        [...shown.keys()].sort(),
        optionsOf(command)
          .map((o) => o.long!)
          .sort(),
      )
      for (const option of optionsOf(command)) {
        const expected = shownDefault(option)
        if (expected !== undefined) assert.equal(shown.get(option.long!), expected, `${command.name()} ${option.long}`)
      }
    })
  }
})
