import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Recorder } from '../../src/metrics/recorder.js'

describe('Recorder window', () => {
  it('counts nothing in the window before a window is set, but counts every send and delivery in the totals', () => {
    const rec = new Recorder(1)
    rec.sent(10, 10)
    rec.delivered(0, 0, 10, 11)
    const r = rec.recorded
    assert.deepEqual([r.sent, r.delivered, r.sentTotal, r.deliveredTotal], [0, 0, 1, 1])
    assert.equal(r.latency.totalCount, 0)
    assert.equal(r.sendLag.totalCount, 0)
  })

  const edges: { scheduledMs: number; inside: boolean }[] = [
    { scheduledMs: 999.9999, inside: false },
    { scheduledMs: 1000, inside: true },
    { scheduledMs: 1500, inside: true },
    { scheduledMs: 1999.9999, inside: true },
    { scheduledMs: 2000, inside: false },
    { scheduledMs: 5000, inside: false },
  ]
  for (const { scheduledMs, inside } of edges) {
    it(`${inside ? 'counts' : 'does not count'} a message scheduled at ${scheduledMs} in the window [1000, 2000)`, () => {
      const rec = new Recorder(1)
      rec.setWindow({ startMs: 1000, endMs: 2000 })
      rec.sent(scheduledMs, scheduledMs + 0.01)
      rec.delivered(0, 0, scheduledMs, scheduledMs + 1)
      const r = rec.recorded
      const n = inside ? 1 : 0
      assert.deepEqual([r.sent, r.delivered, r.latency.totalCount, r.sendLag.totalCount], [n, n, n, n])
      assert.deepEqual([r.sentTotal, r.deliveredTotal], [1, 1])
    })
  }
})

describe('Recorder duplicates, reordering and latency', () => {
  it('counts duplicates without recording them in the latency histogram or in delivered', () => {
    const rec = new Recorder(2)
    rec.setWindow({ startMs: 0, endMs: 100 })
    rec.delivered(0, 0, 10, 11)
    rec.delivered(0, 0, 10, 50)
    rec.delivered(0, 0, 10, 90)
    rec.delivered(1, 0, 20, 22)
    const r = rec.recorded
    assert.equal(r.delivered, 2)
    assert.equal(r.duplicated, 2)
    assert.equal(r.deliveredTotal, 2)
    assert.equal(r.latency.totalCount, 2)
    // 1 ms and 2 ms: the late duplicates (40 and 80 ms) left no trace.
    assert.equal(r.latency.maxValue, 2000)
    assert.equal(r.latency.minNonZeroValue, 1000)
  })

  it('counts a reordered delivery as delivered and records its latency', () => {
    const rec = new Recorder(1)
    rec.setWindow({ startMs: 0, endMs: 100 })
    rec.delivered(0, 1, 20, 21)
    rec.delivered(0, 0, 10, 25)
    const r = rec.recorded
    assert.deepEqual([r.delivered, r.reordered, r.duplicated], [2, 1, 0])
    assert.equal(r.latency.totalCount, 2)
    assert.equal(r.latency.maxValue, 15_000)
  })

  it('does not count a duplicate of a warm-up message in the window, nor in the totals', () => {
    const rec = new Recorder(1)
    rec.setWindow({ startMs: 100, endMs: 200 })
    rec.delivered(0, 0, 50, 60)
    rec.delivered(0, 0, 50, 150)
    const r = rec.recorded
    assert.deepEqual([r.delivered, r.duplicated, r.deliveredTotal], [0, 0, 1])
  })

  it('ignores deliveries for a pair it does not know', () => {
    const rec = new Recorder(2)
    rec.setWindow({ startMs: 0, endMs: 100 })
    rec.delivered(2, 0, 10, 11)
    rec.delivered(-1, 0, 10, 11)
    const r = rec.recorded
    assert.deepEqual([r.delivered, r.deliveredTotal, r.latency.totalCount], [0, 0, 0])
  })

  it('records latency as receipt minus scheduled time and send lag as send minus scheduled time, in µs', () => {
    const rec = new Recorder(1)
    rec.setWindow({ startMs: 0, endMs: 100 })
    rec.sent(10, 10.25)
    rec.delivered(0, 0, 10, 11.5)
    assert.equal(rec.recorded.sendLag.maxValue, 250)
    assert.equal(rec.recorded.latency.maxValue, 1500)
  })

  it('keeps the latency histogram count equal to delivered over a mixed stream of many pairs', () => {
    const pairs = 5
    const rec = new Recorder(pairs)
    rec.setWindow({ startMs: 100, endMs: 900 })
    let state = 7
    const random = (): number => (state = (state * 48271) % 2147483647) / 2147483647
    for (let i = 0; i < 3000; i++) {
      const pair = Math.floor(random() * pairs)
      const seq = Math.floor(random() * 200)
      const scheduledMs = seq * 5
      rec.sent(scheduledMs, scheduledMs + random())
      rec.delivered(pair, seq, scheduledMs, scheduledMs + random() * 20)
    }
    const r = rec.recorded
    assert.ok(r.duplicated > 0 && r.reordered > 0, 'the stream exercises duplicates and reordering')
    assert.equal(r.latency.totalCount, r.delivered)
    assert.equal(r.sendLag.totalCount, r.sent)
    assert.ok(r.delivered <= pairs * 160, 'at most one delivery per pair and in-window seq (100..899 ms / 5)')
  })
})

describe('Recorder stages', () => {
  it('puts each message in the stage of its scheduled send time, so the stages add up to the window', () => {
    const rec = new Recorder(1)
    // Window [1000, 4000): stages end at 2000, 3500 and 4000.
    rec.setWindow({ startMs: 1000, endMs: 4000 }, [2000, 3500, 4000])
    const scheduled = [500, 1000, 1999.9999, 2000, 2500, 3499.9999, 3500, 3999.9999, 4000]
    scheduled.forEach((ms, seq) => {
      rec.sent(ms, ms)
      // The message due at 3500 is lost; the others arrive 1, 2, 3… ms late.
      if (ms !== 3500) rec.delivered(0, seq, ms, ms + seq + 1)
    })
    const r = rec.recorded
    assert.deepEqual(
      r.stages.map((s) => [s.fromMs, s.toMs, s.sent, s.delivered, s.latency.totalCount]),
      [
        [0, 1000, 2, 2, 2],
        [1000, 2500, 3, 3, 3],
        [2500, 3000, 2, 1, 1],
      ],
    )
    assert.equal(
      r.stages.reduce((sum, s) => sum + s.sent, 0),
      r.sent,
    )
    assert.equal(
      r.stages.reduce((sum, s) => sum + s.delivered, 0),
      r.delivered,
    )
    assert.equal(r.stages[2]!.latency.maxValue, 8000, 'the stage keeps its own latencies (8 ms for the message due at 3999.9999)')
  })

  it('keeps no stages when none are given', () => {
    const rec = new Recorder(1)
    rec.setWindow({ startMs: 0, endMs: 10 })
    assert.deepEqual(rec.recorded.stages, [])
  })
})
