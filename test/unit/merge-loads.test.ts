import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sizeOf, splitLoad } from '../../src/load/partition.js'
import { mergeLoads } from '../../src/load/workers/merge-loads.js'
import { decodeLoad, encodeLoad } from '../../src/load/workers/worker-protocol.js'
import { ErrorTally } from '../../src/metrics/errors-tally.js'
import { newHistogram, recordUs } from '../../src/metrics/histogram.js'
import type { LoadResult } from '../../src/metrics/load-result.js'
import { summarise } from '../../src/metrics/summarise.js'
import { newTimeline, recordInTimeline } from '../../src/metrics/timeline.js'
import { workerCpus } from '../../src/pinning.js'

function tally(count: number, first?: string): ErrorTally {
  const t = new ErrorTally()
  t.count = count
  if (first !== undefined) t.first = first
  return t
}

function histogramOf(fromMs: number, toMs: number): ReturnType<typeof newHistogram> {
  const h = newHistogram()
  for (let ms = fromMs; ms <= toMs; ms++) recordUs(h, ms * 1000)
  return h
}

/** One worker's load: latencies `fromMs`..`toMs` in 1 ms steps, each delivered once. */
function fakeLoad(fromMs: number, toMs: number, overrides: Partial<LoadResult> = {}): LoadResult {
  const latency = newHistogram()
  const sendLag = newHistogram()
  for (let ms = fromMs; ms <= toMs; ms++) {
    recordUs(latency, ms * 1000)
    recordUs(sendLag, ms)
  }
  const n = toMs - fromMs + 1
  // Two 1 s slots: every latency scheduled in the first, nothing in the second.
  const timeline = newTimeline(2000)
  for (let ms = fromMs; ms <= toMs; ms++) recordInTimeline(timeline, 10, ms * 1000)
  const stages = [0, 1].map((i) => ({
    fromMs: i * 500,
    toMs: (i + 1) * 500,
    sent: n + i,
    delivered: n,
    latency: histogramOf(fromMs + i, toMs),
  }))
  return {
    recorded: {
      sent: n + 1,
      delivered: n,
      duplicated: 1,
      reordered: 2,
      deliveredTotal: n + 10,
      sentTotal: n + 11,
      latency,
      sendLag,
      sendsQueued: 3,
      stages,
      timeline,
    },
    send: { requests: n, connections: 5, bytesUp: 200 * n, bytesDown: 100 * n },
    receive: { requests: 5, connections: 5, bytesUp: 10 * n, bytesDown: 250 * n },
    windowMs: 1003,
    connectionsTotal: 10,
    sendErrors: tally(0),
    receiveErrors: tally(0),
    generatorCpuMs: 1000,
    loopDelayP99Ms: 2,
    receiversConnected: 5,
    generatorRssBeforeBytes: 50e6,
    generatorRssEndBytes: 60e6,
    connectionsHeld: 10,
    ...overrides,
  }
}

describe('mergeLoads', () => {
  const a = fakeLoad(1, 100, { receiveErrors: tally(2, 'stream dropped'), loopDelayP99Ms: 7 })
  const b = fakeLoad(101, 200, { sendErrors: tally(1, 'POST answered 503'), receiveErrors: tally(1, 'later error') })
  const merged = mergeLoads([a, b], 1000)

  it('adds the counters of every worker', () => {
    assert.deepEqual(
      { ...merged.recorded, latency: undefined, sendLag: undefined, stages: undefined, timeline: undefined },
      {
        sent: 202,
        delivered: 200,
        duplicated: 2,
        reordered: 4,
        deliveredTotal: 220,
        sentTotal: 222,
        sendsQueued: 6,
        latency: undefined,
        sendLag: undefined,
        stages: undefined,
        timeline: undefined,
      },
    )
    assert.deepEqual(merged.send, { requests: 200, connections: 10, bytesUp: 40_000, bytesDown: 20_000 })
    assert.deepEqual(merged.receive, { requests: 10, connections: 10, bytesUp: 2000, bytesDown: 50_000 })
    assert.equal(merged.connectionsTotal, 20)
    assert.equal(merged.receiversConnected, 10)
    assert.deepEqual([merged.generatorRssBeforeBytes, merged.generatorRssEndBytes, merged.connectionsHeld], [100e6, 120e6, 20])
  })

  it('merges each stage across workers: same edges, counts and latencies added', () => {
    assert.deepEqual(
      merged.recorded.stages.map((s) => [s.fromMs, s.toMs, s.sent, s.delivered, s.latency.totalCount]),
      [
        [0, 500, 200, 200, 200],
        [500, 1000, 202, 200, 198],
      ],
    )
    const back = decodeLoad(encodeLoad(a))
    assert.deepEqual(
      back.recorded.stages.map((s) => s.latency.totalCount),
      [100, 99],
    )
  })

  it('adds the histograms: percentiles of 1..200 ms, not of either half', () => {
    assert.equal(merged.recorded.latency.totalCount, 200)
    const atMs = (p: number): number => merged.recorded.latency.getValueAtPercentile(p) / 1000
    // 3 significant digits: within 0.1%.
    for (const [p, expected] of [
      [50, 100],
      [90, 180],
      [99, 198],
    ] as const) {
      assert.ok(Math.abs(atMs(p) - expected) <= expected * 0.001, `p${p}: ${atMs(p)} ms, expected ${expected}`)
    }
    assert.equal(merged.recorded.sendLag.totalCount, 200)
  })

  it("sums errors, keeps the first worker's first error, and takes the worst loop delay", () => {
    assert.equal(merged.sendErrors.count, 1)
    assert.equal(merged.sendErrors.first, 'POST answered 503')
    assert.equal(merged.receiveErrors.count, 3)
    assert.equal(merged.receiveErrors.first, 'stream dropped')
    assert.equal(merged.loopDelayP99Ms, 7)
  })

  it("sums generator CPU over the runner's window: two busy workers read 200% of one core", () => {
    assert.equal(merged.windowMs, 1000)
    const result = summarise('websocket', 'post', merged, {})
    assert.equal(result.generatorCpuPct, 200)
    assert.equal(result.lost, 2)
    assert.equal(result.latency.count, result.delivered)
  })

  it("leaves the workers' own results untouched", () => {
    assert.equal(a.recorded.latency.totalCount, 100)
    assert.equal(b.recorded.sent, 101)
  })

  it('refuses nothing to merge', () => {
    assert.throws(() => mergeLoads([], 1000))
  })
})

describe('mergeLoads timelines', () => {
  it('adds the timelines slot by slot: counts add up, percentiles are re-derived from the added histograms', () => {
    const [first, second] = summarise('websocket', 'post', mergeLoads([fakeLoad(1, 100), fakeLoad(101, 200)], 1000), {}).timeline!
    assert.equal(first!.count, 200)
    // 2 significant digits: within 1%.
    assert.ok(Math.abs(first!.p50Ms - 100) <= 1, `p50 ${first!.p50Ms}`)
    assert.ok(Math.abs(first!.p99Ms - 198) <= 1.98, `p99 ${first!.p99Ms}`)
    assert.ok(first!.p99Ms <= first!.maxMs)
    assert.deepEqual(second, { startMs: 1000, count: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN })
  })
})

describe('a load result sent between processes', () => {
  it('comes back with the same counts, errors and percentiles', () => {
    const load = fakeLoad(1, 100, { receiveErrors: tally(2, 'stream dropped') })
    const back = decodeLoad(JSON.parse(JSON.stringify(encodeLoad(load))) as ReturnType<typeof encodeLoad>)
    const before = summarise('sse', 'post', load, {})
    const after = summarise('sse', 'post', back, {})
    // Decoding keeps the highest equivalent value of the max's bucket: within 0.1% at 3 digits.
    assert.ok(Math.abs(after.latency.maxMs - before.latency.maxMs) <= before.latency.maxMs * 0.001)
    const exact = (r: typeof before): unknown => ({
      ...r,
      latency: { ...r.latency, maxMs: 0 },
      histogram: '',
      stages: r.stages?.map((s) => ({ ...s, maxMs: 0 })),
      // The same holds per slot at 2 digits: the max (and a percentile clamped to it) within 1%.
      timeline: r.timeline?.map((s) => ({ ...s, p99Ms: 0, maxMs: 0 })),
    })
    assert.deepEqual(exact(after), exact(before))
    assert.equal(back.receiveErrors.first, 'stream dropped')
    assert.equal(back.sendErrors.first, undefined)
  })
})

describe('splitLoad', () => {
  for (const [groups, idle, parts] of [
    [200, 0, 2],
    [7, 3, 3],
    [5, 0, 5],
    [64, 1000, 7],
  ] as const) {
    it(`gives each of ${groups} groups and ${idle} idle receivers to exactly one of ${parts} workers, shares within one of each other`, () => {
      const split = splitLoad(groups, idle, parts)
      assert.equal(split.length, parts)
      for (const key of ['groups', 'idle'] as const) {
        const total = key === 'groups' ? groups : idle
        assert.equal(split[0]![key].from, 0)
        assert.equal(split.at(-1)![key].to, total)
        for (let w = 1; w < parts; w++) assert.equal(split[w]![key].from, split[w - 1]![key].to)
        const sizes = split.map((part) => sizeOf(part[key]))
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${key}: ${sizes.join(',')}`)
      }
      for (const part of split) assert.ok(sizeOf(part.groups) >= 1)
    })
  }
})

describe('workerCpus', () => {
  it('on 2 cores puts every worker on the core the server does not have', () => {
    assert.deepEqual(workerCpus({ serverCpu: 1, generatorCpu: 0 }, 3, 2), [0, 0, 0])
  })
  it('on 4 cores spreads workers over the three others in turn', () => {
    assert.deepEqual(workerCpus({ serverCpu: 3, generatorCpu: 0 }, 4, 4), [0, 1, 2, 0])
  })
})

describe('merging the faults workers recorded', () => {
  it('pools recovery and detection samples and adds the counts, through the worker protocol', () => {
    const a = fakeLoad(1, 10)
    const b = fakeLoad(11, 20)
    a.recorded.faults = { planned: 2, recoveryMs: [100, 120], detectMs: [510], silentDrops: 1, late: 7 }
    b.recorded.faults = { planned: 2, recoveryMs: [90], detectMs: [505, 520], silentDrops: 3, late: 5 }
    const merged = mergeLoads([decodeLoad(encodeLoad(a)), decodeLoad(encodeLoad(b))], 1000)
    assert.deepEqual(merged.recorded.faults, {
      planned: 2,
      recoveryMs: [100, 120, 90],
      detectMs: [510, 505, 520],
      silentDrops: 4,
      late: 12,
    })
  })

  it('leaves a run without faults without them', () => {
    assert.equal(mergeLoads([fakeLoad(1, 10), fakeLoad(11, 20)], 1000).recorded.faults, undefined)
  })
})
