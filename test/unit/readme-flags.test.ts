import type { Command, Option } from 'commander'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { buildProgram } from '../../src/cli/program.js'
import { projectRoot } from '../../src/context.js'
import { transports } from '../../src/transports/registry.js'

/**
 * The README keeps a one-screen summary of every command's flags, with each default as
 * `--help` shows it. This reads that block and the program's own options, so the summary
 * cannot drift from the CLI. A transport's own settings (`--poll-interval`) may be left out:
 * they come with the transport's folder, and a new transport must not need a README edit. A
 * `<placeholder>` stands for a value that --help gives (such as the list of transports).
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
  // A hidden option is kept for old scripts, not shown: --help does not list it, nor does the README.
  return command.options.filter((o) => o.long !== undefined && o.long !== '--help' && !o.hidden)
}

/** The flags the registered transports declare for their own settings. */
const transportFlags = new Set(transports.flatMap((t) => t.settings.map((s) => s.flag.name.split(' ')[0]!)))

describe('the README flag summary', () => {
  const program = buildProgram()
  const summary = summarised(summaryBlock())

  test('lists every command the CLI has', () => {
    assert.deepEqual([...summary.keys()].sort(), program.commands.map((c) => c.name()).sort())
  })

  for (const command of program.commands) {
    test(`names exactly the flags of ${command.name()}, each with the default --help shows`, () => {
      const shown = summary.get(command.name()) ?? new Map<string, string | undefined>()
      const flags = optionsOf(command).map((o) => o.long!)
      const required = flags.filter((flag) => !transportFlags.has(flag) || shown.has(flag))
      assert.deepEqual([...shown.keys()].sort(), required.sort())
      for (const option of optionsOf(command)) {
        const expected = shownDefault(option)
        const value = shown.get(option.long!)
        const placeholder = value !== undefined && /^<.*>$/.test(value)
        if (expected !== undefined && (value !== undefined || !transportFlags.has(option.long!)) && !placeholder) {
          assert.equal(value, expected, `${command.name()} ${option.long}`)
        }
      }
    })
  }
})
