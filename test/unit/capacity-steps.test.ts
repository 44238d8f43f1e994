import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ceilingReason, nextStep, type StepOutcome, type StepPlan } from '../../src/capacity/steps.js'

const plan: StepPlan = { startRatePerSec: 1000, factor: 1.5, maxRatePerSec: 200_000, maxSteps: 20, refine: 2, retries: 0 }

/** Runs the search against a transport that holds every rate up to `kneePerSec`: the steps it takes. */
function walk(p: StepPlan, kneePerSec: number): StepOutcome[] {
  const done: StepOutcome[] = []
  for (let step = nextStep(p, done); step !== undefined; step = nextStep(p, done)) {
    done.push({ step, pass: step.ratePerSec <= kneePerSec })
    assert.ok(done.length <= p.maxSteps + p.refine, 'bounded')
  }
  return done
}

describe('nextStep', () => {
  it('starts at the start rate, as a climbing step', () => {
    assert.deepEqual(nextStep(plan, []), { index: 1, ratePerSec: 1000, refinement: false })
  })

  it('climbs geometrically by the factor, in whole messages/s', () => {
    const rates = walk({ ...plan, refine: 0 }, 5000).map((o) => o.step.ratePerSec)
    assert.deepEqual(rates, [1000, 1500, 2250, 3375, 5063])
  })

  it('bisects between the last pass and the first failure, marking those steps', () => {
    const done = walk(plan, 4000)
    assert.deepEqual(
      done.map((o) => [o.step.index, o.step.ratePerSec, o.step.refinement, o.pass]),
      [
        [1, 1000, false, true],
        [2, 1500, false, true],
        [3, 2250, false, true],
        [4, 3375, false, true],
        [5, 5063, false, false],
        [6, 4219, true, false],
        [7, 3797, true, true],
      ],
    )
  })

  it('bisects only as often as --refine says', () => {
    assert.equal(walk({ ...plan, refine: 5 }, 4000).filter((o) => o.step.refinement).length, 5)
    assert.equal(walk({ ...plan, refine: 0 }, 4000).filter((o) => o.step.refinement).length, 0)
  })

  it('does not bisect below the start rate when the first step fails', () => {
    const done = walk(plan, 10)
    assert.deepEqual(
      done.map((o) => o.step.ratePerSec),
      [1000],
    )
  })

  it('stops bisecting once pass and failure are a message/s apart', () => {
    const done = walk({ startRatePerSec: 10, factor: 1.1, maxRatePerSec: 100, maxSteps: 20, refine: 10, retries: 0 }, 11)
    assert.deepEqual(
      done.map((o) => o.step.ratePerSec),
      [10, 11, 12],
    )
  })

  it('ends the climb on the max rate exactly, and stops there', () => {
    const done = walk({ ...plan, maxRatePerSec: 3000 }, 1e9)
    assert.deepEqual(
      done.map((o) => o.step.ratePerSec),
      [1000, 1500, 2250, 3000],
    )
    assert.equal(ceilingReason({ ...plan, maxRatePerSec: 3000 }, done), 'max-rate')
  })

  it('takes at most --max-steps climbing steps', () => {
    const small = { ...plan, maxSteps: 3 }
    const done = walk(small, 1e9)
    assert.deepEqual(
      done.map((o) => o.step.ratePerSec),
      [1000, 1500, 2250],
    )
    assert.equal(ceilingReason(small, done), 'max-steps')
  })

  it('moves up at least one message/s when the factor barely moves the rate', () => {
    const done = walk({ startRatePerSec: 1, factor: 1.01, maxRatePerSec: 4, maxSteps: 20, refine: 0, retries: 0 }, 1e9)
    assert.deepEqual(
      done.map((o) => o.step.ratePerSec),
      [1, 2, 3, 4],
    )
  })
})
