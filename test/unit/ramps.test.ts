import assert from 'node:assert/strict'
import { test } from 'node:test'
import { groupsOpened, rampsOf, stageEndsOf, stageTargetsOf, type Ramped } from '../../src/pacing/ramps.js'

const constant10 = { kind: 'constant', ratePerSec: 10 } as const
const bursts = { kind: 'bursts', size: 5, withinMs: 10, everyMs: 1000 } as const

test('without stages nothing ramps, and the pairs are the groups opened', () => {
  const run: Ramped = { pairs: 7, arrival: constant10 }
  assert.deepEqual(rampsOf(run), {})
  assert.equal(groupsOpened(run), 7)
  assert.deepEqual(stageTargetsOf(run), [])
})

test('only the fields a stage changes ramp; every group ever active is opened', () => {
  const run: Ramped = {
    pairs: 2,
    arrival: constant10,
    stages: [
      { durationMs: 1000, groups: 6 },
      { durationMs: 500, groups: 3 },
    ],
  }
  const ramps = rampsOf(run)
  assert.equal(ramps.rate, undefined, 'the rate holds at 10')
  assert.deepEqual(
    ramps.groups?.points.map((p) => [p.atMs, p.value]),
    [
      [0, 2],
      [1000, 6],
      [1500, 3],
    ],
  )
  assert.equal(groupsOpened(run), 6)
  assert.deepEqual(stageEndsOf(run.stages!), [1000, 1500])
  assert.deepEqual(stageTargetsOf(run), [
    { ratePerSec: 10, groups: 6 },
    { ratePerSec: 10, groups: 3 },
  ])
})

test('bursts have no rate to ramp: their targets carry a null rate', () => {
  const run: Ramped = { pairs: 1, arrival: bursts, stages: [{ durationMs: 2000, groups: 4 }] }
  assert.equal(rampsOf(run).rate, undefined)
  assert.deepEqual(stageTargetsOf(run), [{ ratePerSec: null, groups: 4 }])
})
