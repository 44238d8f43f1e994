import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UserError } from '../../src/errors.js'
import { recoveryFigures } from '../../src/faults/figures.js'
import { describeFaults, parseFaults, planFaults } from '../../src/faults/spec.js'
import type { LoadResult } from '../../src/metrics/load-result.js'
import { Recorder } from '../../src/metrics/recorder.js'
import { seededRandom } from '../../src/pacing/arrivals.js'

describe('--faults values', () => {
  it('reads every kind and writes it back the same', () => {
    const spec = parseFaults(' drop-every=2s , drop-rate=0.5,stall=3s,stall-at=5s,restart')
    assert.deepEqual(spec, { dropEveryMs: 2000, dropRatePerSec: 0.5, stallMs: 3000, stallAtMs: 5000, restart: true })
    assert.equal(describeFaults(spec), 'drop-every=2s,drop-rate=0.5,stall=3s,stall-at=5s,restart')
    assert.deepEqual(parseFaults(describeFaults(spec)), spec)
  })

  const bad: [string, RegExp][] = [
    ['', /empty list/],
    ['drop', /unknown fault "drop"/],
    ['drop-every=2', /a number needs a unit/],
    ['drop-every=10ms', /at least 100ms/],
    ['drop-every', /needs a value/],
    ['drop-rate=0', /above 0/],
    ['stall=3s,stall=1s', /given twice/],
    ['stall-at=2s', /stall-at needs stall/],
    ['restart=1', /takes no value/],
    ['drop-every=2s=3s', /unknown fault/],
  ]
  for (const [text, message] of bad)
    it(`refuses ${JSON.stringify(text)} with one line naming the flag`, () => {
      assert.throws(
        () => parseFaults(text),
        (err: unknown) => err instanceof UserError && err.exitCode === 2 && /^--faults: /.test(err.message) && message.test(err.message),
      )
    })
})

describe('fault plan', () => {
  it('drops every interval inside the window, stalls in the middle, a quarter in when restart takes the middle', () => {
    const plan = (text: string, windowMs: number) => planFaults(parseFaults(text), windowMs, seededRandom(1))
    assert.deepEqual(
      plan('drop-every=2s', 7000).map((f) => f.atMs),
      [2000, 4000, 6000],
    )
    assert.deepEqual(plan('stall=3s', 10_000), [{ kind: 'stall', atMs: 5000, durationMs: 3000 }])
    assert.deepEqual(plan('stall=1s,restart', 8000), [
      { kind: 'stall', atMs: 2000, durationMs: 1000 },
      { kind: 'restart', atMs: 4000 },
    ])
    const random = plan('drop-rate=2', 10_000)
    assert.ok(random.length > 5 && random.length < 40, `${random.length} random drops over 10 s at 2/s`)
    assert.deepEqual(plan('drop-rate=2', 10_000), random, 'seeded: the same instants every time')
  })
})

describe('Recorder after faults', () => {
  it('measures recovery to the first message scheduled after the fault and counts the backlog as late', () => {
    const rec = new Recorder(1)
    rec.setWindow({ startMs: 0, endMs: 10_000 })
    rec.expectFaults(1)
    rec.delivered(0, 0, 900, 901)
    rec.faultInjected(1000)
    // In flight at the fault: received after it, but no recovery; late (received while not recovered).
    rec.delivered(0, 1, 999, 1001)
    // The backlog the receiver comes back to, 1 s later: the first scheduled after the fault is the recovery.
    rec.delivered(0, 2, 1100, 2000)
    rec.delivered(0, 3, 1200, 2000.5)
    // Sent after the recovery: on time.
    rec.delivered(0, 4, 2100, 2101)
    assert.deepEqual(rec.recorded.faults, { planned: 1, recoveryMs: [1000], detectMs: [], silentDrops: 0, late: 3 })
  })

  it('recovers every fault before the message with one receipt, and leaves a receiver that got nothing without a sample', () => {
    const rec = new Recorder(2)
    rec.setWindow({ startMs: 0, endMs: 10_000 })
    rec.expectFaults(2)
    rec.faultInjected(1000)
    rec.faultInjected(2000)
    rec.delivered(0, 0, 2500, 2600)
    assert.deepEqual(rec.recorded.faults?.recoveryMs, [1600, 600])
  })
})

describe('silence found after faults', () => {
  it('takes each receiver’s first silent drop after a fault as its detection, and counts every drop in the window', () => {
    const rec = new Recorder(3)
    rec.setWindow({ startMs: 0, endMs: 10_000 })
    rec.expectFaults(2)
    // A drop before any fault: a false alarm, counted but detecting nothing.
    rec.silenceFound(0, 500)
    rec.faultInjected(1000)
    rec.silenceFound(0, 1550)
    rec.silenceFound(1, 1520)
    // The same receiver again for the same fault (a second connection of it): counted, not a second detection.
    rec.silenceFound(0, 1600)
    rec.faultInjected(5000)
    rec.silenceFound(0, 5540)
    // Outside the window: neither.
    rec.silenceFound(2, 10_000)
    assert.deepEqual(rec.recorded.faults?.detectMs, [550, 520, 540])
    assert.equal(rec.recorded.faults?.silentDrops, 5)
  })

  it('reports p50 and max of detection, and NaN when nothing was found silent', () => {
    const rec = new Recorder(2)
    rec.setWindow({ startMs: 0, endMs: 10_000 })
    rec.expectFaults(1)
    const none = recoveryFigures({ recorded: rec.recorded } as LoadResult)
    assert.ok(Number.isNaN(none.detectP50Ms) && Number.isNaN(none.detectMaxMs))
    assert.equal(none.silentDrops, 0)
    rec.faultInjected(1000)
    rec.silenceFound(0, 1510.1234)
    rec.silenceFound(1, 1530)
    const found = recoveryFigures({ recorded: rec.recorded } as LoadResult)
    assert.deepEqual([found.detectP50Ms, found.detectMaxMs, found.silentDrops], [510.123, 530, 2])
  })
})
