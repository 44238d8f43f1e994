import { staggerPeriodMs, type ArrivalProcess } from './arrivals.js'

const goldenRatio = (1 + Math.sqrt(5)) / 2

/** What a receiver's poll phase is made from: the senders' stagger and the receivers' poll period. */
export interface PhasePlan {
  arrival: ArrivalProcess
  /** Groups the senders are staggered over (every group ever opened, stages included). */
  groups: number
  receiversPerGroup: number
  /** The receivers' poll period in ms; 0 when they do not poll. */
  pollPeriodMs: number
}

/**
 * Pure: where run-wide receiver `n`'s poll timer sits in its period, as a share in [0, 1) of an
 * absolute grid on the generator's clock (poll k at phase·P + k·P, whatever time the receiver
 * opened). It is its sender's stagger offset plus the n-th step of a golden-ratio (Weyl)
 * sequence, so the offset between a receiver's polls and its sender's sends is the golden step
 * alone: the senders' stagger cancels, whatever the pair count, and the steps cover the period
 * evenly over any run of consecutive receivers (one worker's share). A golden step of the
 * receiver number alone (as before) lines up with the stagger for some pair counts: at 20 pairs,
 * 10/s and a 250 ms interval, a third of the poll waits went missing from the sample.
 */
export function pollPhase(plan: PhasePlan, n: number): number {
  const step = (n * goldenRatio) % 1
  if (plan.pollPeriodMs <= 0 || plan.groups <= 0) return step
  const group = Math.floor(n / Math.max(1, plan.receiversPerGroup))
  // Receivers past the groups are idle: they get nothing, any phase will do.
  if (group >= plan.groups) return step
  const senderOffsetMs = (group / plan.groups) * staggerPeriodMs(plan.arrival)
  return (senderOffsetMs / plan.pollPeriodMs + step) % 1
}
