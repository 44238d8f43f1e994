import { rampableRate, type ArrivalProcess } from './arrivals.js'
import { peakOf, profileOf, varies, type Profile, type Stage } from './stages.js'

/**
 * A run's ramps, from what holds during warm-up (`pairs` groups sending by `arrival`) through
 * its stages: the one place that turns stages into the profiles, counts and edges the generator
 * and the report use.
 */
export interface Ramped {
  pairs: number
  arrival: ArrivalProcess
  stages?: readonly Stage[]
}

/** The profiles that change during the run; a field no stage changes keeps the fixed schedule. */
export interface Ramps {
  /** The per-sender rate over time (constant or Poisson arrivals only). */
  rate?: Profile
  /** The number of sending groups over time. */
  groups?: Profile
}

/** What a stage ramps to: the values in force at its end; the rate is null for bursts. */
export interface StageTarget {
  ratePerSec: number | null
  groups: number
}

export function rampsOf(run: Ramped): Ramps {
  const rate = rateProfileOf(run)
  const groups = groupsProfileOf(run)
  return { ...(rate !== undefined && varies(rate) ? { rate } : {}), ...(varies(groups) ? { groups } : {}) }
}

/**
 * Groups a run opens: with stages, every group that is ever active, so no connection set-up
 * falls in the window; workers split this many.
 */
export function groupsOpened(run: Pick<Ramped, 'pairs' | 'stages'>): number {
  return Math.round(peakOf(groupsProfileOf(run)))
}

/** Where each stage ends, in ms from the start of the measured window. */
export function stageEndsOf(stages: readonly Stage[]): number[] {
  let atMs = 0
  return stages.map((s) => (atMs += s.durationMs))
}

export function stageTargetsOf(run: Ramped): StageTarget[] {
  const rate = rateProfileOf(run)
  const groups = groupsProfileOf(run)
  return (run.stages ?? []).map((_, i) => ({ ratePerSec: rate?.points[i + 1]!.value ?? null, groups: groups.points[i + 1]!.value }))
}

function rateProfileOf(run: Ramped): Profile | undefined {
  const rate = rampableRate(run.arrival)
  return rate === undefined ? undefined : profileOf(rate, run.stages ?? [], 'ratePerSec')
}

function groupsProfileOf(run: Pick<Ramped, 'pairs' | 'stages'>): Profile {
  return profileOf(run.pairs, run.stages ?? [], 'groups')
}
