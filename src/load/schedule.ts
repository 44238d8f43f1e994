import { generatorTuning } from '../config.js'
import type { Window } from '../metrics/recorder.js'
import { stageEndsOf } from '../pacing/ramps.js'
import type { Instruments } from './instruments.js'
import { stampTime } from './message.js'
import type { LoadHooks, LoadPlan, Workload } from './plan.js'
import type { Group } from './population.js'
import { scheduleProgress } from './progress.js'
import { scheduleSends } from './sends.js'

/**
 * The measured window of a schedule that starts at `t0`: from the warm-up's end, for the
 * workload's duration. Edges rounded as stamps are, so a send due exactly at the start (no
 * warm-up) counts, and every process that starts at `t0` computes the same edges.
 */
export function measuredWindow(t0: number, { warmupMs, durationMs }: Pick<Workload, 'warmupMs' | 'durationMs'>): Window {
  return { startMs: stampTime(t0 + warmupMs), endMs: stampTime(t0 + warmupMs + durationMs) }
}

/**
 * Fixes when the schedule starts (the workers' common start, or shortly from now) and queues
 * every send and progress tick on the scheduler; the recorder learns the window, and with stages
 * where each ends on the clock (rounded as stamps are, so every message falls in exactly one).
 */
export async function startSchedule(plan: LoadPlan, groups: readonly Group[], instruments: Instruments, hooks: LoadHooks): Promise<Window> {
  const t0 = hooks.startAt ? await hooks.startAt() : instruments.clock.now() + generatorTuning.startDelayMs
  const window = measuredWindow(t0, plan)
  const windowStartMs = t0 + plan.warmupMs
  instruments.recorder.setWindow(
    window,
    stageEndsOf(plan.stages ?? []).map((endMs) => stampTime(windowStartMs + endMs)),
  )
  if (plan.faultsAtMs) instruments.recorder.expectFaults(plan.faultsAtMs.map((at) => window.startMs + at))
  scheduleSends(plan, groups, instruments, t0, window)
  scheduleProgress(plan.transport.name, instruments, t0, window.endMs, hooks.onProgress)
  return window
}
