import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { seededRandom, type ArrivalProcess } from '../../src/pacing/arrivals.js'
import { sendTimes, type SenderTimes } from '../../src/pacing/send-times.js'
import {
  activationAt,
  activeGroups,
  describeStages,
  isActive,
  peakOf,
  peakProductOf,
  profileOf,
  timeAfterCount,
  totalMs,
  valueAt,
  varies,
  type Stage,
} from '../../src/pacing/stages.js'

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`)

describe('a stage profile', () => {
  // rate 10 → 50 over 10 s, hold 5 s, step to 5 in 1 ms; groups never named: they hold at 4.
  const stages: Stage[] = [
    { durationMs: 10_000, ratePerSec: 50 },
    { durationMs: 5000, ratePerSec: 50 },
    { durationMs: 1, ratePerSec: 5 },
  ]
  const rate = profileOf(10, stages, 'ratePerSec')

  const values: [number, number, string][] = [
    [-2000, 10, 'warm-up holds the starting value'],
    [0, 10, 'the first stage starts at the starting value'],
    [2500, 20, 'a quarter of the way up'],
    [5000, 30, 'half way'],
    [10_000, 50, 'the target is reached exactly at the stage end'],
    [12_345, 50, 'a stage whose target equals the previous value holds'],
    [15_000.5, 27.5, 'a 1 ms stage is a step, half way down at half a millisecond'],
    [15_001, 5, 'the step lands on its target'],
    [99_999, 5, 'after the last stage its target holds'],
  ]
  for (const [t, expected, what] of values) {
    test(`${what}: ${expected} at ${t} ms`, () => close(valueAt(rate, t), expected, what))
  }

  test('a field no stage names holds its starting value all along and does not vary', () => {
    const groups = profileOf(4, stages, 'groups')
    assert.deepEqual(
      groups.points.map((p) => p.value),
      [4, 4, 4, 4],
    )
    assert.equal(varies(groups), false)
    assert.equal(varies(rate), true)
  })

  test('peak and total length', () => {
    assert.equal(peakOf(rate), 50)
    assert.equal(totalMs(stages), 15_001)
  })

  test('the peak of a product is found inside a stage when the ramps cross', () => {
    // 0 → 10 groups while 10 → 0 msg/s: g·r = 100 f (1 − f) peaks at 25 half way.
    const one = [{ durationMs: 1000, groups: 10, ratePerSec: 0 }]
    close(peakProductOf(profileOf(0, one, 'groups'), profileOf(10, one, 'ratePerSec')), 25, 'crossing ramps')
    close(
      peakProductOf(
        profileOf(2, [{ durationMs: 1000, groups: 4 }], 'groups'),
        profileOf(5, [{ durationMs: 1000, ratePerSec: 10 }], 'ratePerSec'),
      ),
      40,
      'both rising',
    )
  })

  test('is described as the report records it', () => {
    assert.equal(
      describeStages([
        { durationMs: 10_000, ratePerSec: 50 },
        { durationMs: 20_000, groups: 200 },
        { durationMs: 1500, ratePerSec: 10, groups: 3 },
      ]),
      '10s→rate 50; 20s→groups 200; 1500ms→rate 10, groups 3',
    )
  })
})

describe('active groups', () => {
  // 1 → 5 groups over 4 s, hold 1 s, down to 0 over 2 s.
  const groups = profileOf(
    1,
    [
      { durationMs: 4000, groups: 5 },
      { durationMs: 1000, groups: 5 },
      { durationMs: 2000, groups: 0 },
    ],
    'groups',
  )

  test('the active count is the ramp rounded, and group i sends while i is below it', () => {
    const at = [-1, 0, 499, 500, 1000, 3499, 3500, 4000, 5000, 5200, 5201, 6500, 7000]
    assert.deepEqual(
      at.map((t) => activeGroups(groups, t)),
      [1, 1, 1, 2, 2, 4, 5, 5, 5, 5, 4, 1, 0],
    )
    assert.equal(isActive(groups, 0, 0), true)
    assert.equal(isActive(groups, 1, 0), false)
    assert.equal(isActive(groups, 4, 4500), true)
    assert.equal(isActive(groups, 0, 7000), false)
  })

  test('a group becomes active where the ramp crosses its index + ½, solved, not polled', () => {
    // Value 1 + t/1000: group i is active from value i + 0.5, at (i − 0.5) s.
    for (const i of [1, 2, 3, 4]) {
      const at = activationAt(groups, i, -5000)
      assert.ok(at !== undefined)
      close(at, (i - 0.5) * 1000, `group ${i}`)
      assert.equal(isActive(groups, i, at), true, `group ${i} is active at its activation time`)
      assert.equal(isActive(groups, i, at - 1e-6), false, `group ${i} is not active just before`)
    }
  })

  test('an active group is active now; one that never comes back has no activation', () => {
    assert.equal(activationAt(groups, 0, 123), 123)
    assert.equal(activationAt(groups, 4, 4200), 4200)
    assert.equal(activationAt(groups, 4, 6000), undefined)
    assert.equal(activationAt(groups, 5, 0), undefined, 'group 5 is beyond the peak')
  })

  test('a group that drops out and comes back is found again in a later stage', () => {
    // 3 → 1 over 1 s (group 2 stops at 0.25 s), hold 1 s, 1 → 3 over 1 s (group 2 back from 2.75 s).
    const dip = profileOf(
      3,
      [
        { durationMs: 1000, groups: 1 },
        { durationMs: 1000, groups: 1 },
        { durationMs: 1000, groups: 3 },
      ],
      'groups',
    )
    close(activationAt(dip, 2, 500)!, 2750, 'group 2 returns')
    assert.equal(activationAt(dip, 2, 100), 100)
  })

  test('a step (a 1 ms stage) activates a group within that millisecond', () => {
    const step = profileOf(
      1,
      [
        { durationMs: 1000, groups: 1 },
        { durationMs: 1, groups: 10 },
      ],
      'groups',
    )
    const at = activationAt(step, 9, 0)!
    assert.ok(at >= 1000 && at <= 1001, `${at}`)
    assert.equal(isActive(step, 9, at), true)
  })
})

/** Every due time of one sender until it stops (bounded, so a bug cannot hang the test). */
function allDue(times: Partial<SenderTimes> & { arrival: ArrivalProcess }): number[] {
  const next = sendTimes({ random: seededRandom(1), startMs: 0, windowStartMs: 0, endMs: 10_000, group: 0, ...times })
  const out: number[] = []
  for (let due = next(); due !== undefined && out.length < 100_000; due = next()) out.push(due)
  return out
}

const countIn = (due: readonly number[], from: number, to: number): number => due.filter((t) => t >= from && t < to).length

describe('integrating a rate profile', () => {
  const ramp = profileOf(
    0,
    [
      { durationMs: 1000, ratePerSec: 2000 },
      { durationMs: 1000, ratePerSec: 2000 },
    ],
    'ratePerSec',
  )

  test('a held rate: count / rate', () => {
    close(timeAfterCount(profileOf(500, [], 'ratePerSec'), 10, 1), 12, 'one message at 500/s')
  })

  test('a linear ramp from 0: count = t² / 1000 at 0 → 2000/s over 1 s, so 250 messages take 500 ms', () => {
    close(timeAfterCount(ramp, 0, 250), 500, '250 messages')
    close(timeAfterCount(ramp, 500, 750), 1000, 'the rest of the ramp')
  })

  test('across a stage corner into the hold', () => {
    close(timeAfterCount(ramp, 0, 1000 + 200), 1100, "the ramp's 1000, then 200 at 2000/s")
    close(timeAfterCount(ramp, 1900, 1000), 2400, 'past the last stage the final rate holds')
  })

  test('a rate that falls to 0 never reaches a count beyond its area', () => {
    const down = profileOf(1000, [{ durationMs: 1000, ratePerSec: 0 }], 'ratePerSec')
    close(timeAfterCount(down, 0, 375), 500, 'three quarters of the area by halfway')
    assert.equal(timeAfterCount(down, 0, 501), Infinity)
  })
})

describe('send times of one sender', () => {
  test('without stages, the arrival process as before: n / rate from the start, none at or past the end', () => {
    const due = allDue({ arrival: { kind: 'constant', ratePerSec: 4 }, startMs: 100, endMs: 1100 })
    assert.deepEqual(due, [100, 350, 600, 850])
  })

  test('a constant rate ramping 5 → 45/s over 2 s sends the integral of the rate in each second (15, then 35)', () => {
    const rate = profileOf(
      5,
      [
        { durationMs: 1000, ratePerSec: 25 },
        { durationMs: 1000, ratePerSec: 45 },
      ],
      'ratePerSec',
    )
    const due = allDue({ arrival: { kind: 'constant', ratePerSec: 5 }, rate, endMs: 2000 })
    // A send due exactly on a second's edge may fall either side by a rounding.
    assert.ok(Math.abs(countIn(due, 0, 1000) - 15) <= 1, `first second: ${countIn(due, 0, 1000)}`)
    assert.ok(Math.abs(countIn(due, 1000, 2000) - 35) <= 1, `second second: ${countIn(due, 1000, 2000)}`)
    assert.ok(Math.abs(due.length - 50) <= 1, `in all: ${due.length}`)
    // Between two sends the rate adds up to exactly one message: the area under r(t)/1000 from one to the next.
    for (let i = 1; i < due.length; i++)
      close(((valueAt(rate, due[i - 1]!) + valueAt(rate, due[i]!)) / 2000) * (due[i]! - due[i - 1]!), 1, `area of gap ${i}`)
  })

  test('warm-up sends at the starting rate; the ramp starts with the window', () => {
    const rate = profileOf(10, [{ durationMs: 1000, ratePerSec: 100 }], 'ratePerSec')
    const due = allDue({ arrival: { kind: 'constant', ratePerSec: 10 }, rate, startMs: 0, windowStartMs: 1000, endMs: 2000 })
    assert.deepEqual(due.slice(0, 11), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    assert.ok(countIn(due, 1000, 2000) >= 50, `ramp: ${countIn(due, 1000, 2000)}`)
  })

  test('a Poisson rate ramp sends about the integral too, with random gaps', () => {
    const rate = profileOf(
      100,
      [
        { durationMs: 5000, ratePerSec: 100 },
        { durationMs: 5000, ratePerSec: 300 },
      ],
      'ratePerSec',
    )
    const due = allDue({ arrival: { kind: 'poisson', ratePerSec: 100 }, rate })
    const [first, second] = [countIn(due, 0, 5000), countIn(due, 5000, 10_000)]
    assert.ok(Math.abs(first - 500) < 80, `hold at 100/s: ${first}`)
    assert.ok(Math.abs(second - 1000) < 120, `100 → 300/s: ${second}`)
  })

  test('an inactive group sends nothing until its activation, then at once, then stops when ramped out', () => {
    // Groups 1 → 3 over 1 s (group 2 from 0.75 s), hold 1 s, 3 → 1 over 1 s (group 2 through 2.25 s).
    const groups = profileOf(
      1,
      [
        { durationMs: 1000, groups: 3 },
        { durationMs: 1000, groups: 3 },
        { durationMs: 1000, groups: 1 },
      ],
      'groups',
    )
    const ramped = allDue({
      arrival: { kind: 'constant', ratePerSec: 10 },
      rate: profileOf(10, [], 'ratePerSec'),
      groups,
      group: 2,
      endMs: 3000,
    })
    close(ramped[0]!, 750, 'first send at activation')
    // Still active at 2250 exactly: the ramp is at 2.5 there, which rounds up.
    assert.ok(
      ramped.every((t) => t >= 750 && t <= 2250),
      `${ramped.join(' ')}`,
    )
    assert.equal(ramped.length, 16)
    // At a fixed rate, the phase is kept: the first send is the first of the process's own times after activation.
    const fixed = allDue({ arrival: { kind: 'constant', ratePerSec: 10 }, groups, group: 2, endMs: 3000 })
    assert.deepEqual([fixed[0], fixed.at(-1), fixed.length], [800, 2200, 15])
    assert.deepEqual(
      allDue({ arrival: { kind: 'constant', ratePerSec: 10 }, groups, group: 0, endMs: 3000 }).length,
      30,
      'group 0 sends all along',
    )
  })

  test('bursts keep their schedule while a group target ramps; a group never active sends nothing', () => {
    const groups = profileOf(1, [{ durationMs: 2500, groups: 2 }], 'groups')
    const bursts = { kind: 'bursts', size: 3, withinMs: 10, everyMs: 1000 } as const
    assert.deepEqual(allDue({ arrival: bursts, groups, group: 1, endMs: 4000 }), [2000, 2005, 2010, 3000, 3005, 3010])
    assert.deepEqual(allDue({ arrival: bursts, groups, group: 2, endMs: 4000 }), [])
  })
})
