import type { Instruments } from './instruments.js'

/** How far a transport's run has got, for a live progress line. */
export interface Progress {
  transport: string
  elapsedMs: number
  totalMs: number
  delivered: number
  p50Ms: number
}

const progressEveryMs = 250

/** Reports progress every 250 ms of the schedule, from `t0` until the window's end. */
export function scheduleProgress(
  transport: string,
  { scheduler, recorder, clock }: Instruments,
  t0: number,
  endMs: number,
  report: ((progress: Progress) => void) | undefined,
): void {
  if (report === undefined) return
  const tick = (due: number): void => {
    report({
      transport,
      elapsedMs: Math.max(0, clock.now() - t0),
      totalMs: endMs - t0,
      delivered: recorder.recorded.deliveredTotal,
      p50Ms: recorder.recorded.latency.totalCount > 0 ? recorder.recorded.latency.getValueAtPercentile(50) / 1000 : Number.NaN,
    })
    if (due + progressEveryMs < endMs) scheduler.at(due + progressEveryMs, () => tick(due + progressEveryMs))
  }
  scheduler.at(t0, () => tick(t0))
}
