import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { cli } from '../helpers/cli.js'

/**
 * Short polling's p50 is about half the poll interval, so doubling the interval is a real,
 * known regression (+100% at p50). Each side is the median of 3 repeats, the limit is +30%,
 * and a rise only counts when every repeat is slower than the baseline's slowest: an identical
 * rerun stays far inside that even on a busy 2-core runner, a doubled interval far outside.
 */
const small = [
  'run',
  '--transports',
  'short-polling',
  '--pairs',
  '10',
  '--rate',
  '7',
  '--duration',
  '1500ms',
  '--warmup',
  '300ms',
  '--repeat',
  '3',
  '--quiet',
]
const gate = ['--max-regression', 'p50=30%']
let dir = ''
let baseline = ''

describe('the gate on real runs', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'transport-bench-gate-'))
    const outcome = await cli([...small, '--out', join(dir, 'base')], 90_000)
    assert.equal(outcome.code, 0, outcome.stderr)
    const json = (await readdir(join(dir, 'base'))).find((f) => f.endsWith('.json'))
    baseline = join(dir, 'base', json!)
  })
  after(() => rm(dir, { recursive: true, force: true }))

  test('a doubled poll interval fails the baseline at p50 with exit 3', async () => {
    const junit = join(dir, 'gate.xml')
    const run = [
      ...small,
      '--poll-interval',
      '200ms',
      '--no-save',
      '--baseline',
      baseline,
      ...gate,
      '--allow-settings-change',
      '--junit',
      junit,
    ]
    const outcome = await cli(run, 90_000)
    assert.equal(outcome.code, 3, outcome.stderr)
    assert.match(
      outcome.stderr,
      /^regression: short-polling p50: baseline \d+\.\d{3} ms, now \d+\.\d{3} ms, change \+\d+\.\d%, limit p50 ≤ \+30%$/m,
    )
    assert.match(await readFile(junit, 'utf8'), /tests="1" failures="1"/)
  })

  test('an identical rerun passes with exit 0', async () => {
    const outcome = await cli([...small, '--no-save', '--baseline', baseline, ...gate], 90_000)
    assert.equal(outcome.code, 0, outcome.stderr)
  })

  test('a baseline of another poll interval is refused before measuring, exit 2', async () => {
    const outcome = await cli([...small, '--poll-interval', '200ms', '--no-save', '--baseline', baseline, ...gate])
    assert.equal(outcome.code, 2)
    assert.match(outcome.stderr, /^transport-bench: this run was measured with other settings than .*\(poll interval 100ms vs 200ms\)/)
  })
})
