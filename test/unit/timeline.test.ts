import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mergeTransport } from '../../src/baseline/merge.js'
import { Recorder } from '../../src/metrics/recorder.js'
import { summariseTimeline, timelineSlotMs, type TimelineSlot } from '../../src/metrics/timeline.js'
import { combineRepeats } from '../../src/results/combine.js'
import { fixtureResult } from './fixtures.js'

const slot = (startMs: number, count: number, p50Ms: number, p99Ms: number, maxMs: number): TimelineSlot => ({
  startMs,
  count,
  p50Ms,
  p99Ms,
  maxMs,
})

describe('the recorder’s timeline', () => {
  // Window [1000, 4000): three one-second slots. Second 0 gets latencies 1..100 ms, second 2
  // one late message; second 1 gets nothing.
  const rec = new Recorder(1)
  rec.setWindow({ startMs: 1000, endMs: 4000 })
  for (let ms = 1; ms <= 100; ms++) rec.delivered(0, ms - 1, 1000 + ms, 1000 + 2 * ms)
  rec.delivered(0, 100, 3999.9999, 3999.9999 + 250)
  rec.delivered(0, 101, 4000, 4001) // scheduled after the window: not counted
  const timeline = summariseTimeline(rec.recorded.timeline)

  it('has one slot per second of the window, by scheduled send time', () => {
    assert.deepEqual(
      timeline.map((s) => [s.startMs, s.count]),
      [
        [0, 100],
        [1000, 0],
        [2000, 1],
      ],
    )
  })

  it('gives each slot its p50, p99 and exact max, within the timeline’s 1%', () => {
    const first = timeline[0]!
    assert.ok(Math.abs(first.p50Ms - 50) <= 0.5, `p50 ${first.p50Ms}`)
    assert.ok(Math.abs(first.p99Ms - 99) <= 0.99, `p99 ${first.p99Ms}`)
    assert.equal(first.maxMs, 100)
    assert.ok(timeline[2]!.p99Ms <= timeline[2]!.maxMs)
    assert.equal(timeline[2]!.maxMs, 250)
  })

  it('leaves a slot nothing reached unknown, not zero', () => {
    assert.ok([timeline[1]!.p50Ms, timeline[1]!.p99Ms, timeline[1]!.maxMs].every(Number.isNaN))
  })

  it('widens its slots to whole seconds past two minutes, so a long run keeps at most 120', () => {
    assert.equal(timelineSlotMs(8000), 1000)
    assert.equal(timelineSlotMs(120_000), 1000)
    assert.equal(timelineSlotMs(121_000), 2000)
    assert.equal(timelineSlotMs(600_000), 5000)
    const long = new Recorder(1)
    long.setWindow({ startMs: 0, endMs: 3_600_000 })
    assert.equal(long.recorded.timeline.slots.length, 120)
  })
})

describe('combining timelines', () => {
  const a = [slot(0, 10, 1, 5, 9), slot(1000, 10, 2, 6, 7)]
  const b = [slot(0, 30, 3, 4, 8), slot(1000, 0, Number.NaN, Number.NaN, Number.NaN)]

  it('merges result files slot by slot through merge', () => {
    const merged = mergeTransport([fixtureResult({ timeline: a }), fixtureResult({ timeline: b })])
    assert.deepEqual(merged.timeline, [slot(0, 40, 3, 5, 9), slot(1000, 10, 2, 6, 7)])
    assert.equal(mergeTransport([fixtureResult({ timeline: a }), fixtureResult()]).timeline, undefined)
  })

  it('takes the median of each slot over --repeat runs, as every other figure of a repeated row', () => {
    const c = [slot(0, 20, 2, 9, 10), slot(1000, 20, 4, 8, 9)]
    const row = combineRepeats([fixtureResult({ timeline: a }), fixtureResult({ timeline: b }), fixtureResult({ timeline: c })])
    assert.deepEqual(row.timeline, [slot(0, 20, 2, 5, 9), slot(1000, 10, 3, 7, 8)])
  })
})
