import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mergeLoads } from '../../src/load/workers/merge-loads.js'
import { decodeLoad, encodeLoad } from '../../src/load/workers/worker-protocol.js'
import { ErrorTally } from '../../src/metrics/errors-tally.js'
import {
  encodeHistogram,
  newHistogram,
  recordUs,
  summariseLatency,
  type Histogram,
  type LatencySummary,
} from '../../src/metrics/histogram.js'
import type { LoadResult } from '../../src/metrics/load-result.js'
import { summarise } from '../../src/metrics/summarise.js'
import { newTimeline } from '../../src/metrics/timeline.js'
import { combineRuns } from '../../src/results/combine.js'
import { fixtureResult } from './fixtures.js'

/** 1,000 latencies whose largest sits low in its bucket: p99.9 reads as the bucket's top, above it. */
function tailHeavy(maxUs: number): Histogram {
  const h = newHistogram()
  for (let i = 0; i < 998; i++) recordUs(h, 1000 + i)
  recordUs(h, maxUs - 1)
  recordUs(h, maxUs)
  return h
}

function assertOrdered(s: LatencySummary, what: string): void {
  const order = [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs]
  for (let i = 1; i < order.length; i++) assert.ok(order[i - 1]! <= order[i]!, `${what}: ${order.join(' ≤ ')} out of order`)
}

function loadOf(latency: Histogram): LoadResult {
  return {
    recorded: {
      sent: latency.totalCount,
      delivered: latency.totalCount,
      duplicated: 0,
      reordered: 0,
      deliveredTotal: latency.totalCount,
      sentTotal: latency.totalCount,
      latency,
      sendLag: newHistogram(),
      sendsQueued: 0,
      stages: [],
      timeline: newTimeline(1000),
    },
    send: { requests: 0, connections: 0, bytesUp: 0, bytesDown: 0 },
    receive: { requests: 0, connections: 0, bytesUp: 0, bytesDown: 0 },
    windowMs: 1000,
    connectionsTotal: 0,
    sendErrors: new ErrorTally(),
    receiveErrors: new ErrorTally(),
    generatorCpuMs: 0,
    loopDelayP99Ms: 0,
    receiversConnected: 1,
    generatorRssBeforeBytes: 0,
    generatorRssEndBytes: 0,
    connectionsHeld: 0,
  }
}

describe('every percentile is at most the exact max', () => {
  // 123,457 µs: in a bucket 64 µs wide, whose top is 123,519.
  const maxUs = 123_457

  it('summariseLatency clamps p99.9 to the max the histogram recorded', () => {
    const h = tailHeavy(maxUs)
    assert.ok(h.getValueAtPercentile(99.9) > maxUs, 'the bucket top is above the max (the defect this guards)')
    const s = summariseLatency(h)
    assert.equal(s.maxMs, maxUs / 1000)
    assertOrdered(s, 'live histogram')
  })

  it('the exact max travels from the workers through their merge', () => {
    const parts = [tailHeavy(maxUs), tailHeavy(maxUs - 1000)].map((h) => decodeLoad(encodeLoad(loadOf(h))))
    const row = summarise('x', 'post', mergeLoads(parts, 1000), {})
    assert.equal(row.latency.maxMs, maxUs / 1000)
    assertOrdered(row.latency, 'merged workers')
  })

  it('a merge of result files keeps the exact max and orders every row', () => {
    const runs = [tailHeavy(maxUs), tailHeavy(maxUs - 5000)].map((h) =>
      fixtureResult({ latency: summariseLatency(h), histogram: encodeHistogram(h) }),
    )
    for (const how of ['merge', 'repeat'] as const) {
      const row = combineRuns(runs, how)
      assertOrdered(row.latency, how)
      if (how === 'merge') assert.equal(row.latency.maxMs, maxUs / 1000)
    }
  })
})
