import { formatDurationMs } from '../units.js'

/**
 * Stages: a load profile in k6's sense. Each stage ramps a value linearly from where the
 * previous stage left it to its target over the stage's duration; a stage whose target equals
 * the previous value holds, and a very short one makes a step. Pure, so the math is tested
 * without a network.
 *
 * Time is in ms from the start of the measured window: before it (warm-up) the starting value
 * holds, and after the last stage its target does.
 */

/** One stage as a scenario gives it: how long it lasts and what it ramps to; a missing target holds. */
export interface Stage {
  durationMs: number
  /** Messages per second per sender at the stage's end. */
  ratePerSec?: number
  /** Groups sending at the stage's end; every group ever active is connected from the start. */
  groups?: number
}

/** One corner of a piecewise-linear profile. */
export interface Point {
  atMs: number
  value: number
}

/** A value over time: straight lines between points, the first at 0, times non-decreasing. */
export interface Profile {
  readonly points: readonly Point[]
}

/** The profile of one stage field (`ratePerSec` or `groups`) from its starting value. */
export function profileOf(start: number, stages: readonly Stage[], field: 'ratePerSec' | 'groups'): Profile {
  const points: Point[] = [{ atMs: 0, value: start }]
  let atMs = 0
  let value = start
  for (const stage of stages) {
    atMs += stage.durationMs
    value = stage[field] ?? value
    points.push({ atMs, value })
  }
  return { points }
}

/** Whether any stage changes the field at all: without that, the fixed-rate schedule is kept. */
export function varies(profile: Profile): boolean {
  const first = profile.points[0]!.value
  return profile.points.some((p) => p.value !== first)
}

/** The value at `tMs`: interpolated inside a stage, held before the first and after the last. */
export function valueAt(profile: Profile, tMs: number): number {
  const points = profile.points
  let previous = points[0]!
  if (tMs <= previous.atMs) return previous.value
  for (const point of points) {
    if (tMs <= point.atMs) {
      const span = point.atMs - previous.atMs
      if (span <= 0) return point.value
      const f = (tMs - previous.atMs) / span
      // This form gives exactly the end value at the stage's end, so a target is reached, not missed by a rounding.
      return previous.value * (1 - f) + point.value * f
    }
    previous = point
  }
  return previous.value
}

/**
 * The time at which a per-second rate profile, integrated from `fromMs`, has added up to
 * `count` events: the next due time of a sender whose rate ramps. Integrating (rather than
 * using the rate at the last send) keeps a rising ramp from running short. Inside a stage the
 * rate is linear, so the count is quadratic in time and solved exactly; after the last stage
 * the final rate holds. Infinity when the rate falls to 0 before the count is reached.
 */
export function timeAfterCount(profile: Profile, fromMs: number, count: number): number {
  let left = count
  let t = fromMs
  // Corners ahead of `fromMs` (the first one too: before it the starting value holds); straight in between.
  for (const corner of profile.points) {
    if (corner.atMs <= t) continue
    const [r, end] = [valueAt(profile, t) / 1000, corner.value / 1000]
    const slope = (end - r) / (corner.atMs - t)
    const d = spanFor(r, slope, left)
    if (d !== undefined && t + d <= corner.atMs) return t + d
    left -= ((r + end) / 2) * (corner.atMs - t)
    t = corner.atMs
  }
  const r = valueAt(profile, t) / 1000
  return r > 0 ? t + left / r : Infinity
}

/** The d ≥ 0 at which r·d + slope·d²/2 first reaches `count`, or undefined if it never does. */
function spanFor(r: number, slope: number, count: number): number | undefined {
  if (Math.abs(slope) < 1e-15) return r > 0 ? count / r : undefined
  const discriminant = r * r + 2 * slope * count
  if (discriminant < 0) return undefined
  // The smaller root, in a form without cancellation when r dominates.
  return (2 * count) / (r + Math.sqrt(discriminant))
}

/** The largest value the profile reaches (at a corner, since it is straight between them). */
export function peakOf(profile: Profile): number {
  return Math.max(...profile.points.map((p) => p.value))
}

/**
 * The largest product of two profiles built from the same stages (groups × rate: sends per
 * second). Inside a stage the product is a parabola, so its top is at a corner or its vertex.
 */
export function peakProductOf(p: Profile, q: Profile): number {
  let peak = p.points[0]!.value * q.points[0]!.value
  for (let k = 1; k < p.points.length; k++) {
    const [p0, p1, q0, q1] = [p.points[k - 1]!.value, p.points[k]!.value, q.points[k - 1]!.value, q.points[k]!.value]
    const [dp, dq] = [p1 - p0, q1 - q0]
    const vertex = dp * dq < 0 ? -(p0 * dq + q0 * dp) / (2 * dp * dq) : 0
    const f = Math.min(1, Math.max(0, vertex))
    peak = Math.max(peak, p1 * q1, (p0 + dp * f) * (q0 + dq * f))
  }
  return peak
}

/** Total length of the stages: the measured window. */
export function totalMs(stages: readonly Stage[]): number {
  return stages.reduce((sum, s) => sum + s.durationMs, 0)
}

/** Groups sending at `tMs`: the ramp's value, rounded. */
export function activeGroups(profile: Profile, tMs: number): number {
  return Math.round(valueAt(profile, tMs))
}

/** Group `index` (from 0) sends while its index is below the active count. */
export function isActive(profile: Profile, index: number, tMs: number): boolean {
  return index < activeGroups(profile, tMs)
}

/**
 * The earliest time at or after `tMs` at which group `index` is active, or undefined when it
 * never is again. Solved per stage (where the ramp crosses index + ½, the rounding edge), so a
 * waiting group needs one timer, not one per tick.
 */
export function activationAt(profile: Profile, index: number, tMs: number): number | undefined {
  if (isActive(profile, index, tMs)) return tMs
  const level = index + 0.5
  const points = profile.points
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!
    const b = points[k]!
    // Inactive up to this stage's start, so only a stage that ends at or above the level can cross it.
    if (b.atMs < tMs || b.value < level) continue
    const from = Math.max(tMs, a.atMs)
    const span = b.atMs - a.atMs
    const crossing = span > 0 && b.value !== a.value ? a.atMs + ((level - a.value) / (b.value - a.value)) * span : b.atMs
    return firstActive(profile, index, Math.max(from, crossing), b.atMs)
  }
  return undefined
}

/** `at`, or a hair later when floating-point rounding (or a step at `at`) leaves the value just below the edge; `limit` is the stage's end. */
function firstActive(profile: Profile, index: number, at: number, limit: number): number {
  const ulp = Math.max(1, Math.abs(at)) * Number.EPSILON
  let t = at
  for (let k = 0; k < 8; k++) {
    if (isActive(profile, index, t)) return t
    t += ulp * 2 ** k
  }
  return limit
}

/** `10s→rate 50; 20s→groups 200; 5s→rate 10, groups 3`: what ran, for the report's context. */
export function describeStages(stages: readonly Stage[]): string {
  return stages
    .map((s) => {
      const targets = [s.ratePerSec !== undefined ? `rate ${s.ratePerSec}` : '', s.groups !== undefined ? `groups ${s.groups}` : ''].filter(
        Boolean,
      )
      return `${formatDurationMs(s.durationMs)}→${targets.join(', ')}`
    })
    .join('; ')
}
