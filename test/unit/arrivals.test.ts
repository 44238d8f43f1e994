import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  arrivals,
  backToBack,
  describeArrival,
  meanRatePerSec,
  rampableRate,
  seededRandom,
  staggerPeriodMs,
  type ArrivalProcess,
} from '../../src/pacing/arrivals.js'

const take = (next: () => number, n: number): number[] => Array.from({ length: n }, next)

test('a constant process is due every 1/rate, from zero, without drift', () => {
  const due = take(arrivals({ kind: 'constant', ratePerSec: 3 }, seededRandom(1)), 3001)
  assert.deepEqual(due.slice(0, 3), [0, 1000 / 3, 2000 / 3])
  assert.equal(due[3000], 1_000_000)
})

test('a Poisson process has exponential gaps whose mean is 1/rate', () => {
  const due = take(arrivals({ kind: 'poisson', ratePerSec: 10 }, seededRandom(7)), 20_000)
  const gaps = due.map((t, i) => t - (i === 0 ? 0 : due[i - 1]!))
  assert.ok(gaps.every((g) => g >= 0))
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
  assert.ok(Math.abs(mean - 100) < 3, `mean gap ${mean} ms`)
  // Exponential: the standard deviation equals the mean (a constant rate would have none).
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length)
  assert.ok(Math.abs(sd - mean) < 5, `sd ${sd} ms`)
})

test('the same seed gives the same Poisson times; another seed gives others', () => {
  const process = { kind: 'poisson', ratePerSec: 1 } as const
  assert.deepEqual(take(arrivals(process, seededRandom(3)), 5), take(arrivals(process, seededRandom(3)), 5))
  assert.notDeepEqual(take(arrivals(process, seededRandom(3)), 5), take(arrivals(process, seededRandom(4)), 5))
})

test('bursts put n messages evenly within t ms, a burst every s ms', () => {
  const due = take(arrivals({ kind: 'bursts', size: 5, withinMs: 10, everyMs: 1000 }, seededRandom(1)), 7)
  assert.deepEqual(due, [0, 2.5, 5, 7.5, 10, 1000, 1002.5])
})

const rates: [string, Parameters<typeof meanRatePerSec>[0], number, string][] = [
  ['constant', { kind: 'constant', ratePerSec: 10 }, 10, 'constant 10/s'],
  ['poisson', { kind: 'poisson', ratePerSec: 1 / 60 }, 1 / 60, 'poisson 0.01667/s'],
  ['bursts', { kind: 'bursts', size: 50, withinMs: 10, everyMs: 1000 }, 50, 'bursts of 50 in 10ms every 1000ms'],
]
for (const [kind, process, rate, text] of rates) {
  test(`${kind}: mean rate and description`, () => {
    assert.equal(meanRatePerSec(process), rate)
    assert.equal(describeArrival(process), text)
  })
}

test('what the generator asks of each kind: a rate to ramp, the period senders stagger over, messages sent back to back', () => {
  const cases: [ArrivalProcess, number | undefined, number, number][] = [
    [{ kind: 'constant', ratePerSec: 4 }, 4, 250, 1],
    [{ kind: 'poisson', ratePerSec: 4 }, 4, 0, 1],
    [{ kind: 'bursts', size: 50, withinMs: 10, everyMs: 1000 }, undefined, 1000, 50],
  ]
  for (const [process, rate, periodMs, burst] of cases) {
    assert.deepEqual([rampableRate(process), staggerPeriodMs(process), backToBack(process)], [rate, periodMs, burst], process.kind)
  }
})
