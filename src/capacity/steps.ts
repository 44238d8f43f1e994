/** How a capacity search climbs: total messages/s, geometric steps, then a few bisections. */
export interface StepPlan {
  startRatePerSec: number
  /** Each climbing step asks this many times the last (above 1). */
  factor: number
  /** The climb's ceiling: the last climbing step asks exactly this. */
  maxRatePerSec: number
  /** Most climbing steps, refinements not counted. */
  maxSteps: number
  /** Bisections between the highest pass and the lowest failure once a step has failed. */
  refine: number
  /**
   * Times a failing step is measured again before it counts as failed: on a shared VM a pause
   * of a few ms can break a 10 ms p99 once, and one noisy window must not end the climb.
   */
  retries: number
}

/** One step: a total rate to hold for a window. */
export interface Step {
  /** 1-based, in the order the steps ran. */
  index: number
  ratePerSec: number
  /** True for a bisection between a pass and a failure, false for a step of the climb. */
  refinement: boolean
}

export interface StepOutcome {
  step: Step
  pass: boolean
}

/** Why a transport's search ended without a failure deciding it. */
export type CeilingReason = 'max-rate' | 'max-steps'

/**
 * Pure: the step to run after `done`, or undefined when the search is over. The climb
 * multiplies the rate by `factor` up to `maxRatePerSec`; after the first failure it stops
 * climbing and bisects up to `refine` times between the highest pass and the lowest failure.
 */
export function nextStep(plan: StepPlan, done: readonly StepOutcome[]): Step | undefined {
  const index = done.length + 1
  if (done.some((o) => !o.pass)) {
    const ratePerSec = bisection(plan, done)
    return ratePerSec === undefined ? undefined : { index, ratePerSec, refinement: true }
  }
  const last = done.at(-1)?.step.ratePerSec
  if (last === undefined) return { index, ratePerSec: plan.startRatePerSec, refinement: false }
  if (last >= plan.maxRatePerSec || done.length >= plan.maxSteps) return undefined
  // Rates are whole messages/s; a factor close to 1 still moves up by at least one.
  const ratePerSec = Math.min(Math.max(Math.round(last * plan.factor), last + 1), plan.maxRatePerSec)
  return { index, ratePerSec, refinement: false }
}

function bisection(plan: StepPlan, done: readonly StepOutcome[]): number | undefined {
  if (done.filter((o) => o.step.refinement).length >= plan.refine) return undefined
  const { highestPass, lowestFail } = bracket(done)
  if (highestPass === undefined || lowestFail === undefined) return undefined
  const mid = Math.round((highestPass + lowestFail) / 2)
  return mid > highestPass && mid < lowestFail ? mid : undefined
}

/** The highest rate that passed and the lowest that failed: the knee lies between. */
export function bracket(done: readonly StepOutcome[]): { highestPass?: number; lowestFail?: number } {
  const passes = done.filter((o) => o.pass).map((o) => o.step.ratePerSec)
  const fails = done.filter((o) => !o.pass).map((o) => o.step.ratePerSec)
  return {
    ...(passes.length > 0 ? { highestPass: Math.max(...passes) } : {}),
    ...(fails.length > 0 ? { lowestFail: Math.min(...fails) } : {}),
  }
}

/** Why a search with no failure ended: it reached the ceiling, or ran out of steps below it. */
export function ceilingReason(plan: StepPlan, done: readonly StepOutcome[]): CeilingReason {
  const last = done.at(-1)?.step.ratePerSec ?? 0
  return last >= plan.maxRatePerSec ? 'max-rate' : 'max-steps'
}

/** The most steps a search can take: the climb plus every bisection; loops are bounded by it. */
export function maxStepsOf(plan: StepPlan): number {
  return plan.maxSteps + plan.refine
}
