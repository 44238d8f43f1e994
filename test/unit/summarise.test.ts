import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generatorTuning } from '../../src/config.js'
import { ErrorTally } from '../../src/metrics/errors-tally.js'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import type { LoadResult } from '../../src/metrics/load-result.js'
import { Recorder } from '../../src/metrics/recorder.js'
import { isGeneratorLimited, perMessage, summarise, type ServerWindow } from '../../src/metrics/summarise.js'
import type { ServerStats } from '../../src/protocol/stats.js'
import { serverStats, wireCounts } from './fixtures.js'

describe('perMessage', () => {
  const cases: [number, number, number][] = [
    [10, 5, 2],
    [0, 5, 0],
    [7, 2, 3.5],
    [1, 3, 1 / 3],
    [3000, 1000, 3],
  ]
  for (const [total, delivered, expected] of cases) {
    it(`divides ${total} over ${delivered} delivered into ${expected}`, () => {
      assert.equal(perMessage(total, delivered), expected)
    })
  }
  for (const total of [0, 10]) {
    it(`gives NaN, not 0 or Infinity, for ${total} over 0 delivered`, () => {
      assert.ok(Number.isNaN(perMessage(total, 0)))
    })
  }
})

describe('isGeneratorLimited', () => {
  // lagFloorUs 200, lagShareLimit 0.25, loopDelayLimitMs 10 (src/config.ts).
  it('uses the thresholds these cases are computed from', () => {
    assert.equal(generatorTuning.lagFloorUs, 200)
    assert.equal(generatorTuning.lagShareLimit, 0.25)
    assert.equal(generatorTuning.loopDelayLimitMs, 10)
  })
  const cases: { why: string; lagUs: number; p99Ms: number; loopMs: number; limited: boolean }[] = [
    { why: 'small lag, small loop delay', lagUs: 50, p99Ms: 5, loopMs: 1, limited: false },
    { why: 'lag above the share but not above the 200 µs floor', lagUs: 150, p99Ms: 0.1, loopMs: 0, limited: false },
    { why: 'lag exactly at the floor', lagUs: 200, p99Ms: 0.1, loopMs: 0, limited: false },
    { why: 'lag just above the floor and above a quarter of p99', lagUs: 201, p99Ms: 0.1, loopMs: 0, limited: true },
    { why: 'lag exactly a quarter of p99 (0.5 ms of 2 ms)', lagUs: 500, p99Ms: 2, loopMs: 0, limited: false },
    { why: 'lag just over a quarter of p99', lagUs: 501, p99Ms: 2, loopMs: 0, limited: true },
    { why: 'large lag that is a small share of a large p99', lagUs: 5000, p99Ms: 100, loopMs: 0, limited: false },
    { why: 'loop delay exactly at the limit', lagUs: 0, p99Ms: 5, loopMs: 10, limited: false },
    { why: 'loop delay above the limit, whatever the lag', lagUs: 0, p99Ms: 5, loopMs: 10.01, limited: true },
    { why: 'both lag share and loop delay over', lagUs: 10_000, p99Ms: 1, loopMs: 50, limited: true },
  ]
  for (const { why, lagUs, p99Ms, loopMs, limited } of cases) {
    it(`is ${limited} for ${why} (lag ${lagUs} µs, p99 ${p99Ms} ms, loop ${loopMs} ms)`, () => {
      assert.equal(isGeneratorLimited(lagUs, p99Ms, loopMs), limited)
    })
  }
})

/**
 * Window [1000, 2000) ms. Sends: 4 inside (lags 50, 300, 100, 20 µs), 2 outside. Deliveries
 * inside: pair 0 seq 1 after 2 ms, pair 1 seq 0 after 1 ms (and once more: a duplicate),
 * pair 0 seq 2 after 4 ms; the message scheduled at 1300 never arrives.
 */
function handBuiltLoad(): LoadResult {
  const recorder = new Recorder(2)
  recorder.setWindow({ startMs: 1000, endMs: 2000 })
  recorder.sent(500, 500.1)
  recorder.sent(1000, 1000.05)
  recorder.sent(1100, 1100.3)
  recorder.sent(1200, 1200.1)
  recorder.sent(1300, 1300.02)
  recorder.sent(2000, 2000)
  recorder.delivered(0, 0, 500, 505)
  recorder.delivered(0, 1, 1000, 1002)
  recorder.delivered(1, 0, 1100, 1101)
  recorder.delivered(1, 0, 1100, 1103)
  recorder.delivered(0, 2, 1200, 1204)
  const sendErrors = new ErrorTally()
  const receiveErrors = new ErrorTally()
  sendErrors.add(new Error('boom'))
  receiveErrors.add('late')
  receiveErrors.add(new Error('later'))
  return {
    recorded: recorder.recorded,
    send: wireCounts(4, 2, 1200, 600),
    receive: wireCounts(6, 2, 900, 3000),
    windowMs: 1000,
    connectionsTotal: 9,
    sendErrors,
    receiveErrors,
    generatorCpuMs: 250,
    loopDelayP99Ms: 3,
    receiversConnected: 2,
    generatorRssBeforeBytes: 40 * 1024 * 1024,
    generatorRssEndBytes: 42 * 1024 * 1024,
    connectionsHeld: 4,
  }
}

const fullServer: ServerWindow = {
  start: serverStats({ cpuUserUs: 1_000_000, cpuSystemUs: 200_000, maxRssBytes: 50 * 1024 * 1024, dropped: 2 }),
  end: serverStats({ cpuUserUs: 1_450_000, cpuSystemUs: 290_000, maxRssBytes: 75 * 1024 * 1024, dropped: 7 }),
}

describe('summarise on a hand-built load', () => {
  const r = summarise('sse', 'post', handBuiltLoad(), fullServer)

  it('counts sent, delivered, lost, duplicated and reordered inside the window only', () => {
    assert.equal(r.transport, 'sse')
    assert.equal(r.sendMode, 'post')
    assert.equal(r.sent, 4)
    assert.equal(r.delivered, 3)
    assert.equal(r.lost, 1)
    assert.equal(r.duplicated, 1)
    assert.equal(r.reordered, 0)
  })

  it('gives receive requests per delivered message from the receive side only: 6 / 3 = 2', () => {
    assert.equal(r.recvRequestsPerMsg, 2)
  })

  it('sums send and receive wires for bytes: up (1200 + 900) / 3 = 700, down (600 + 3000) / 3 = 1200', () => {
    assert.equal(r.bytesUpPerMsg, 700)
    assert.equal(r.bytesDownPerMsg, 1200)
  })

  it('gives server CPU per 1k delivered as (cpu delta ms) / (delivered / 1000): 540 ms / 0.003 = 180000', () => {
    assert.equal(r.serverCpuMsPer1k, 180_000)
  })

  it('gives server RSS from the end peak in MiB (75) and dropped as end minus start (5)', () => {
    assert.equal(r.serverRssMb, 75)
    assert.equal(r.serverDropped, 5)
  })

  it('summarises latency (2, 1, 4 ms) and send lag (20, 50, 100, 300 µs) by HdrHistogram percentiles', () => {
    assert.equal(r.latency.count, 3)
    assert.equal(r.latency.p50Ms, 2)
    assert.ok(Math.abs(r.latency.p99Ms - 4) <= 0.004, `p99 ${r.latency.p99Ms}`)
    assert.ok(Math.abs(r.latency.maxMs - 4) <= 0.004, `max ${r.latency.maxMs}`)
    assert.ok(Math.abs(r.latency.meanMs - 7 / 3) <= 0.003, `mean ${r.latency.meanMs}`)
    assert.equal(r.sendLagP50Us, 50)
    assert.equal(r.sendLagP99Us, 300)
  })

  it('reports the generator: 250 ms CPU over a 1000 ms window is 25%, not limited at 300 µs lag vs 4 ms p99', () => {
    assert.equal(r.generatorCpuPct, 25)
    assert.equal(r.loopDelayP99Ms, 3)
    assert.equal(r.generatorLimited, false)
    assert.equal(r.windowMs, 1000)
    assert.equal(r.connections, 9)
  })

  it('counts errors on each side and keeps the first send error as firstError', () => {
    assert.equal(r.sendErrors, 1)
    assert.equal(r.receiveErrors, 2)
    assert.equal(r.firstError, 'boom')
  })

  it('carries a histogram that decodes to the delivered count', () => {
    assert.equal(decodeHistogram(r.histogram).totalCount, r.delivered)
  })
})

describe('summarise across a server restart (instance ids at the window edges)', () => {
  const on = (stats: ServerStats | undefined, instanceId: string): ServerStats => ({ ...stats!, instanceId })
  const baseline = serverStats({ rssBytes: 10 * 1024 * 1024, instanceId: 'a' })

  it('marks the row invalid and differences nothing when the window ends on another instance than it started on', () => {
    const r = summarise('sse', 'post', handBuiltLoad(), { baseline, start: on(fullServer.start, 'a'), end: on(fullServer.end, 'b') })
    assert.equal(r.invalid, 'target restarted during the window (instance a at its start, b at its end)')
    assert.deepEqual(
      [r.serverCpuMsPer1k, r.serverRssMb, r.serverDropped, r.serverRssMbPer1kReceivers, r.serverRssMbPer1kConnections],
      [null, null, null, null, null],
    )
  })

  it('keeps the window’s own server figures, but not memory grown since the baseline, after a restart before the window', () => {
    const r = summarise('sse', 'post', handBuiltLoad(), { baseline, start: on(fullServer.start, 'b'), end: on(fullServer.end, 'b') })
    assert.equal(r.invalid, undefined)
    assert.deepEqual([r.serverCpuMsPer1k, r.serverRssMb, r.serverDropped], [180_000, 75, 5])
    assert.deepEqual([r.serverRssMbPer1kReceivers, r.serverRssMbPer1kConnections], [null, null])
  })

  it('is valid on one instance, and when the server names none (someone else’s server)', () => {
    for (const window of [{ baseline, start: on(fullServer.start, 'a'), end: on(fullServer.end, 'a') }, fullServer]) {
      const r = summarise('sse', 'post', handBuiltLoad(), window)
      assert.equal(r.invalid, undefined)
      assert.equal(r.serverCpuMsPer1k, 180_000)
    }
  })
})

describe('summarise with missing pieces', () => {
  const serverCases: { name: string; server: ServerWindow; cpu: number | null; rss: number | null; dropped: number | null }[] = [
    { name: 'no server stats at all', server: {}, cpu: null, rss: null, dropped: null },
    { name: 'only the start stats', server: { start: fullServer.start! }, cpu: null, rss: null, dropped: null },
    { name: 'only the end stats', server: { end: fullServer.end! }, cpu: null, rss: 75, dropped: null },
    { name: 'both stats', server: fullServer, cpu: 180_000, rss: 75, dropped: 5 },
  ]
  for (const { name, server, cpu, rss, dropped } of serverCases) {
    it(`gives server cpu ${cpu}, rss ${rss}, dropped ${dropped} with ${name}`, () => {
      const r = summarise('sse', 'post', handBuiltLoad(), server)
      assert.equal(r.serverCpuMsPer1k, cpu)
      assert.equal(r.serverRssMb, rss)
      assert.equal(r.serverDropped, dropped)
    })
  }

  it('gives NaN per-message figures and latencies, and zero send lag, when nothing was sent or delivered', () => {
    const recorder = new Recorder(1)
    recorder.setWindow({ startMs: 0, endMs: 1000 })
    const load: LoadResult = {
      ...handBuiltLoad(),
      recorded: recorder.recorded,
      sendErrors: new ErrorTally(),
      receiveErrors: new ErrorTally(),
    }
    const r = summarise('websocket', 'socket', load, fullServer)
    assert.equal(r.sent, 0)
    assert.equal(r.delivered, 0)
    assert.equal(r.lost, 0)
    for (const value of [r.recvRequestsPerMsg, r.bytesUpPerMsg, r.bytesDownPerMsg, r.serverCpuMsPer1k, r.latency.p50Ms, r.latency.maxMs]) {
      assert.ok(Number.isNaN(value), `expected NaN, got ${value}`)
    }
    assert.equal(r.sendLagP50Us, 0)
    assert.equal(r.sendLagP99Us, 0)
    assert.equal(r.firstError, null)
    assert.equal(decodeHistogram(r.histogram).totalCount, 0)
  })

  it('gives 0% generator CPU rather than NaN for a zero-length window', () => {
    const r = summarise('sse', 'post', { ...handBuiltLoad(), windowMs: 0 }, {})
    assert.equal(r.generatorCpuPct, 0)
  })

  it('falls back to the first receive error when no send failed', () => {
    const receiveErrors = new ErrorTally()
    receiveErrors.add(new Error('stream reset'))
    const r = summarise('sse', 'post', { ...handBuiltLoad(), sendErrors: new ErrorTally(), receiveErrors }, {})
    assert.equal(r.firstError, 'stream reset')
  })

  it('gives memory per 1,000 connections held: generator 2 MiB / 4 sockets = 500, server 8 MiB / 4 = 2000', () => {
    const server = {
      ...fullServer,
      baseline: serverStats({ rssBytes: 30 * 1024 * 1024 }),
      end: serverStats({ rssBytes: 38 * 1024 * 1024 }),
    }
    const r = summarise('sse', 'post', handBuiltLoad(), server)
    assert.equal(r.generatorRssMbPer1kConnections, 500)
    assert.equal(r.serverRssMbPer1kConnections, 2000)
  })

  it('gives null memory per connection when no socket was held or the server has no baseline', () => {
    const r = summarise('sse', 'post', { ...handBuiltLoad(), connectionsHeld: 0 }, fullServer)
    assert.equal(r.generatorRssMbPer1kConnections, null)
    assert.equal(r.serverRssMbPer1kConnections, null)
  })

  it('marks the row generator-limited when the event loop stalled past the limit', () => {
    const r = summarise('sse', 'post', { ...handBuiltLoad(), loopDelayP99Ms: 25 }, {})
    assert.equal(r.generatorLimited, true)
  })
})

describe('summarise with stages', () => {
  // Percentiles are HdrHistogram's, clamped to the exact max: 10 ms sits in a bucket whose top is 10.007 ms, and no percentile passes the max.
  it('gives each stage its figures and targets, and the stages add up to the row', () => {
    const recorder = new Recorder(1)
    recorder.setWindow({ startMs: 0, endMs: 2000 }, [1000, 2000])
    for (const ms of [100, 900, 1500]) recorder.sent(ms, ms)
    recorder.delivered(0, 0, 100, 102)
    recorder.delivered(0, 2, 1500, 1510)
    const load: LoadResult = {
      ...handBuiltLoad(),
      recorded: recorder.recorded,
      stageTargets: [
        { ratePerSec: 20, groups: 4 },
        { ratePerSec: 20, groups: 8 },
      ],
    }
    const r = summarise('sse', 'post', load, fullServer)
    assert.deepEqual(r.stages, [
      { stage: 1, startMs: 0, endMs: 1000, ratePerSec: 20, groups: 4, sent: 2, delivered: 1, lost: 1, p50Ms: 2, p99Ms: 2, maxMs: 2 },
      {
        stage: 2,
        startMs: 1000,
        endMs: 2000,
        ratePerSec: 20,
        groups: 8,
        sent: 1,
        delivered: 1,
        lost: 0,
        p50Ms: 10,
        p99Ms: 10,
        maxMs: 10,
      },
    ])
    assert.equal(
      r.stages.reduce((sum, s) => sum + s.sent, 0),
      r.sent,
    )
    assert.equal(
      r.stages.reduce((sum, s) => sum + s.lost, 0),
      r.lost,
    )
  })

  it('has no stages field without stages', () => {
    assert.equal('stages' in summarise('sse', 'post', handBuiltLoad(), fullServer), false)
  })
})
