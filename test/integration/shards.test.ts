import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { mergeShards } from '../../src/baseline/shards.js'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import { formatJson } from '../../src/report/json.js'
import { runBenchmark, type RunOptions } from '../../src/run.js'
import { findTransport } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()
const websocket = findTransport('websocket')!
const run: RunOptions = {
  transports: [websocket],
  settings: {},
  target: server.origin,
  pairs: 9,
  ratePerSec: 20,
  arrival: { kind: 'constant', ratePerSec: 20 },
  durationMs: 800,
  warmupMs: 200,
  payloadBytes: 64,
}

test('2 shards on one start instant against one server add up to the counts of one run of the same size', async () => {
  const whole = await runBenchmark(run)
  const startAt = Date.now() + 1500
  const shards = await Promise.all([0, 1].map((index) => runBenchmark({ ...run, shard: { index, count: 2 }, startAt })))
  const [a, b] = shards.map((s) => s.results[0]!)
  // 9 groups split 4 + 5, each shard recording which it is and when its window opened.
  assert.deepEqual(
    shards.map((s) => [s.context.settings.shard, s.context.settings.startAt, s.context.settings.pairs]),
    [
      ['0/2', new Date(startAt).toISOString(), 9],
      ['1/2', new Date(startAt).toISOString(), 9],
    ],
  )
  assert.deepEqual([a!.receivers, b!.receivers], [4, 5])
  for (const r of [a!, b!])
    assert.ok(r.windowOpenedAtMs! >= startAt + run.warmupMs, `window opened ${r.windowOpenedAtMs! - startAt} ms after start`)

  const merged = mergeShards(shards).results[0]!
  const single = whole.results[0]!
  assert.equal(single.lost, 0, single.firstError ?? 'lost messages')
  assert.equal(merged.sent, single.sent)
  assert.equal(merged.delivered, single.delivered)
  assert.equal(merged.lost, 0, merged.firstError ?? 'lost messages')
  assert.equal(
    decodeHistogram(merged.histogram).totalCount,
    decodeHistogram(a!.histogram).totalCount + decodeHistogram(b!.histogram).totalCount,
  )
  assert.equal(merged.latency.count, merged.delivered)
  assert.equal(merged.receivers, single.receivers)
  assert.ok(merged.windowSkewMs! >= 0)

  // merge by the CLI: the two shards together are accepted; one alone, or twice, is refused in one line.
  const paths = shards.map((_, i) => join(tmpdir(), `tb-shard-${process.pid}-${i}.json`))
  await Promise.all(shards.map((s, i) => writeFile(paths[i]!, formatJson(s))))
  const out = join(tmpdir(), `tb-shards-${process.pid}.json`)
  const ok = await cli(['merge', paths[1]!, paths[0]!, '-o', out])
  assert.equal(ok.code, 0, ok.stderr)
  assert.match(ok.stderr, /websocket: windows opened after their due instant: shard 0 \+[\d.]+ ms, shard 1 \+[\d.]+ ms; skew [\d.]+ ms/)
  assertOneLineError(await cli(['merge', paths[0]!, paths[0]!, '-o', out]), /both shard 0\/2/)
})

test('a start instant that passes before the users are open fails the run in one line', async () => {
  await assert.rejects(
    runBenchmark({ ...run, shard: { index: 0, count: 2 }, startAt: Date.now() }),
    /--start-at .*: passed \d+ ms before every user was open; give a later instant/,
  )
})

test('a shard checks its open files for its own share: 30,000 pairs over 4 shards get past the check to the target', async () => {
  const common = [
    'run',
    '--quiet',
    '--transports',
    'websocket',
    '--pairs',
    '30000',
    '--rate',
    '0.1',
    '--target',
    'http://127.0.0.1:9',
    '--start-at',
    '+60s',
  ]
  assertOneLineError(await cli([...common, '--shard', '0/4']), /127\.0\.0\.1:9/)
  const whole = await cli([
    'run',
    '--quiet',
    '--transports',
    'websocket',
    '--pairs',
    '30000',
    '--rate',
    '0.1',
    '--target',
    'http://127.0.0.1:9',
  ])
  assertOneLineError(whole, /open files/)
})
