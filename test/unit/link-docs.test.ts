import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { projectRoot } from '../../src/context.js'
import { linkProfileRows } from '../../src/link/profiles.js'

test('docs/NETWORKS.md lists every link profile with its figures and source, as the code has them', () => {
  const doc = readFileSync(join(projectRoot, 'docs', 'NETWORKS.md'), 'utf8')
  const rows = doc.split('\n').map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  )
  for (const expected of linkProfileRows().slice(1)) {
    const row = rows.find((cells) => cells[0] === expected[0])
    assert.deepEqual(row, expected, `profile ${expected[0]}`)
  }
})
