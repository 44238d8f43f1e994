import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { areShards, checkShards, describeSkew, mergeShards, type ShardFile } from '../../src/baseline/shards.js'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import type { TransportResult } from '../../src/metrics/summarise.js'
import type { RunReport } from '../../src/results/report.js'
import { fixtureContext, fixtureHistogram, fixtureResult } from './fixtures.js'

const startAt = '2026-12-04T15:00:00.000Z'

function shard(index: number, count: number, result: Partial<TransportResult> = {}, at = startAt): ShardFile {
  const context = fixtureContext()
  const report: RunReport = {
    schemaVersion: 1,
    context: { ...context, settings: { ...context.settings, shard: `${index}/${count}`, startAt: at } },
    results: [fixtureResult({ transport: 'websocket', windowOpenedAtMs: Date.parse(at) + 2000 + index, ...result })],
  }
  return { path: `shard-${index}.json`, report }
}

describe('merging shards', () => {
  it('adds what each shard counted, histograms included, and counts the server once', () => {
    const a = shard(0, 2, {
      sent: 600,
      delivered: 600,
      lost: 0,
      histogram: fixtureHistogram(600),
      receivers: 30,
      serverCpuMsPer1k: 100,
      serverDropped: 4,
      windowMs: 10_000,
      recvRequestsPerMin: 60,
    })
    const b = shard(1, 2, {
      sent: 400,
      delivered: 400,
      lost: 0,
      histogram: fixtureHistogram(400),
      receivers: 20,
      serverCpuMsPer1k: 150,
      serverDropped: 4,
      windowMs: 10_002,
      recvRequestsPerMin: 40,
    })
    const merged = mergeShards(checkShards([b, a]).map((f) => f.report))
    const row = merged.results[0]!
    assert.equal(row.sent, 1000)
    assert.equal(row.delivered, 1000)
    assert.equal(row.latency.count, 1000)
    assert.equal(decodeHistogram(row.histogram).totalCount, 600 + 400)
    assert.equal(row.receivers, 50)
    // Both read the whole server: 100 ms/1k over shard 0's 600 messages is 60 ms of server CPU, for 1000 messages.
    assert.equal(row.serverCpuMsPer1k, 60)
    assert.equal(row.serverDropped, 4)
    // One window, measured at once; requests per minute of both.
    assert.equal(row.windowMs, 10_002)
    assert.equal(row.recvRequestsPerMin, 100)
    assert.equal(row.windowSkewMs, 1)
    assert.ok(!('windowOpenedAtMs' in row))
    assert.equal(merged.context.settings.shard, 'all/2')
    assert.equal(merged.context.settings.pairs, 50)
  })

  it('prints when each shard’s window opened after its due instant, and the skew', () => {
    const [line] = describeSkew([shard(0, 2).report, shard(1, 2, { windowOpenedAtMs: Date.parse(startAt) + 2000 + 3.25 }).report])
    assert.equal(line, 'websocket: windows opened after their due instant: shard 0 +0.000 ms, shard 1 +3.250 ms; skew 3.250 ms')
  })

  it('refuses, in one line each, shards of different runs, a shard given twice, a missing one, and shards mixed with whole runs', () => {
    assert.throws(
      () => checkShards([shard(0, 2), shard(1, 3)]),
      /shards of different runs: shard-0.json is shard 0\/2, shard-1.json is shard 1\/3/,
    )
    assert.throws(() => checkShards([shard(0, 2), shard(1, 2, {}, '2026-12-04T15:05:00.000Z')]), /shards of different runs.*started at/)
    assert.throws(() => checkShards([shard(0, 2), shard(1, 2, { transport: 'sse' })]), /measured websocket, shard-1.json sse/)
    assert.throws(() => checkShards([shard(0, 3), shard(0, 3), shard(2, 3)]), /both shard 0\/3/)
    assert.throws(() => checkShards([shard(0, 3), shard(2, 3)]), /shard 1\/3 missing/)
    const whole = { path: 'whole.json', report: { ...shard(0, 2).report, context: fixtureContext() } }
    assert.throws(() => areShards([shard(0, 2), whole]), /whole.json is not a shard/)
    assert.equal(areShards([whole, whole]), false)
    assert.equal(areShards([shard(0, 2), shard(1, 2)]), true)
  })
})
