import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mergeReports, mergeTransport } from '../../src/baseline/merge.js'
import { encodeHistogram, newHistogram, recordUs, summariseLatency } from '../../src/metrics/histogram.js'
import type { StageResult } from '../../src/metrics/summarise.js'
import { fixture } from '../helpers/results.js'
import { fixtureReport, fixtureResult } from './fixtures.js'

/** A histogram of the latencies `first`, `first + step`, … up to 1000 ms, in µs. */
function histogramOf(first: number, step: number): string {
  const h = newHistogram()
  for (let ms = first; ms <= 1000; ms += step) recordUs(h, ms * 1000)
  return encodeHistogram(h)
}

describe('merge', () => {
  it('of the odd and even halves equals the whole, within histogram precision', () => {
    const odd = fixtureResult({ histogram: histogramOf(1, 2) })
    const even = fixtureResult({ histogram: histogramOf(2, 2) })
    const merged = mergeTransport([odd, even]).latency
    // 1..1000 ms: p50 is 500 ms, p99 990 ms, max 1000 ms; 3 significant digits allow 0.1%.
    const expected = { count: 1000, p50Ms: 500, p90Ms: 900, p99Ms: 990, p999Ms: 999, maxMs: 1000, meanMs: 500.5 }
    for (const [key, value] of Object.entries(expected)) {
      const got = merged[key as keyof typeof merged]
      assert.ok(Math.abs(got - value) <= value * 0.001, `${key}: ${got} vs ${value}`)
    }
    const whole = newHistogram()
    for (let ms = 1; ms <= 1000; ms++) recordUs(whole, ms * 1000)
    // hdr's add() keeps the highest equivalent value of the max bucket, so max may sit 0.05% above.
    const direct = summariseLatency(whole)
    for (const key of Object.keys(expected) as (keyof typeof merged)[]) {
      assert.ok(Math.abs(merged[key] - direct[key]) <= direct[key] * 0.001, `${key}: merged ${merged[key]} vs whole ${direct[key]}`)
    }
  })

  it('adds counters and re-divides per-message costs by the total delivered', () => {
    const a = fixtureResult({
      sent: 100,
      delivered: 100,
      lost: 0,
      recvRequestsPerMsg: 2,
      bytesDownPerMsg: 300,
      connections: 10,
      serverCpuMsPer1k: 100,
      serverRssMb: 80,
      windowMs: 1000,
      generatorCpuPct: 10,
    })
    const b = fixtureResult({
      sent: 300,
      delivered: 298,
      lost: 2,
      recvRequestsPerMsg: 1,
      bytesDownPerMsg: 500,
      connections: 10,
      serverCpuMsPer1k: 200,
      serverRssMb: 95,
      windowMs: 3000,
      generatorCpuPct: 30,
    })
    const m = mergeTransport([a, b])
    assert.equal(m.sent, 400)
    assert.equal(m.delivered, 398)
    assert.equal(m.lost, 2)
    assert.equal(m.connections, 20)
    assert.equal(m.recvRequestsPerMsg, (2 * 100 + 1 * 298) / 398)
    assert.equal(m.bytesDownPerMsg, (300 * 100 + 500 * 298) / 398)
    assert.equal(m.serverCpuMsPer1k, (100 * 100 + 200 * 298) / 398)
    assert.equal(m.serverRssMb, 95)
    assert.equal(m.windowMs, 4000)
    assert.equal(m.generatorCpuPct, 25)
  })

  it('keeps an unknown server figure unknown', () => {
    const m = mergeTransport([fixtureResult(), fixtureResult({ serverCpuMsPer1k: null, serverRssMb: null })])
    assert.equal(m.serverCpuMsPer1k, null)
    assert.equal(m.serverRssMb, null)
  })

  it('merges reports transport by transport', () => {
    const merged = mergeReports([fixtureReport(), fixtureReport()])
    assert.deepEqual(
      merged.results.map((r) => [r.transport, r.sent]),
      [
        ['short-polling', 20_000],
        ['sse', 20_000],
        ['websocket', 20_000],
      ],
    )
  })

  it('is incomplete when any piece stopped early, complete otherwise', () => {
    assert.equal(mergeReports([fixtureReport(), fixtureReport()]).complete, undefined)
    assert.equal(mergeReports([fixtureReport(), { ...fixtureReport(), complete: false }]).complete, false)
  })
})

describe('merge of the figures a sum cannot rebuild', () => {
  it('re-divides requests per minute by the whole window, averages memory per receiver and per connection, and keeps the most receivers', () => {
    const a = fixtureResult({
      receivers: 40,
      windowMs: 1000,
      recvRequestsPerMin: 600,
      serverRssMbPer1kReceivers: 10,
      generatorRssMbPer1kConnections: 4,
      serverRssMbPer1kConnections: 2,
    })
    const b = fixtureResult({
      receivers: 50,
      windowMs: 3000,
      recvRequestsPerMin: 200,
      serverRssMbPer1kReceivers: 20,
      generatorRssMbPer1kConnections: 6,
      serverRssMbPer1kConnections: null,
    })
    const m = mergeTransport([a, b])
    assert.equal(m.recvRequestsPerMin, (600 * 1000 + 200 * 3000) / 4000)
    assert.equal(m.serverRssMbPer1kReceivers, 15)
    assert.equal(m.generatorRssMbPer1kConnections, 5)
    assert.equal(m.serverRssMbPer1kConnections, null)
    assert.equal(m.receivers, 50)
  })

  it('adds stages up stage by stage, keeping the worst percentiles and the scenario’s edges', () => {
    const stage = (n: number, sent: number, p99Ms: number): StageResult => ({
      stage: n,
      startMs: (n - 1) * 1000,
      endMs: n * 1000,
      ratePerSec: 10 * n,
      groups: 5,
      sent,
      delivered: sent - 1,
      lost: 1,
      p50Ms: p99Ms / 2,
      p99Ms,
      maxMs: p99Ms * 2,
    })
    const m = mergeTransport([
      fixtureResult({ stages: [stage(1, 100, 4), stage(2, 200, 9)] }),
      fixtureResult({ stages: [stage(1, 300, 6), stage(2, 400, 7)] }),
    ])
    assert.deepEqual(m.stages, [
      { ...stage(1, 400, 6), delivered: 398, lost: 2 },
      { ...stage(2, 600, 9), delivered: 598, lost: 2 },
    ])
  })
})

describe('merge of the fixture halves (1–50 ms and 51–100 ms, one message per ms)', () => {
  it('gives the hand-computed whole', async () => {
    const halves = await Promise.all(['half-a.json', 'half-b.json'].map(async (name) => (await fixture(name)).report!))
    const merged = mergeReports(halves)
    const r = merged.results[0]!
    assert.equal(merged.context.startedAt, '2026-11-26T09:00:00.000Z')
    assert.deepEqual([r.sent, r.delivered, r.lost, r.connections, r.windowMs], [102, 100, 2, 40, 10_000])
    assert.equal(r.recvRequestsPerMsg, 2.5) // (2·50 + 3·50) / 100
    assert.equal(r.bytesUpPerMsg, 410)
    assert.equal(r.bytesDownPerMsg, 650)
    assert.equal(r.serverCpuMsPer1k, 400)
    assert.equal(r.serverRssMb, 95)
    assert.equal(r.generatorCpuPct, 30)
    assert.equal(r.sendLagP99Us, 300)
    // Written before these fields existed: they stay absent rather than becoming unknown.
    const absent = ['receivers', 'recvRequestsPerMin', 'serverRssMbPer1kReceivers', 'stages', 'repeats']
    assert.deepEqual(
      absent.filter((key) => key in r),
      [],
    )
    // 1..100 ms: p50 50, p90 90, p99 99, p99.9 and max 100, mean 50.5; within 0.1% (3 digits).
    const expected = { count: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99, p999Ms: 100, maxMs: 100, meanMs: 50.5 }
    for (const [key, value] of Object.entries(expected)) {
      const got = r.latency[key as keyof typeof r.latency]
      assert.ok(Math.abs(got - value) <= value * 0.001, `${key}: ${got} vs ${value}`)
    }
  })
})
