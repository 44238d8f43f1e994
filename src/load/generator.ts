import { Scheduler } from '../client/scheduler.js'
import type { LoadResult } from '../metrics/load-result.js'
import { groupsOpened } from '../pacing/ramps.js'
import { pollGapMs } from '../transports/setting-values.js'
import { drain } from './drain.js'
import { instrumentsFor } from './instruments.js'
import { openUsers } from './open.js'
import { sizeOf, wholeLoad } from './partition.js'
import type { LoadHooks, LoadPlan } from './plan.js'
import { startSchedule } from './schedule.js'
import { score } from './score.js'
import { SetupWatch } from './setup-failures.js'
import { measureWindow, warmUp } from './window.js'

/**
 * Drives the plan's groups (a userA and its receivers; with stages, as many as are ever
 * active) through one transport: opens every user, sends on schedule (an open model: a slow
 * server cannot slow it down), measures the window after warm-up (unless the server refused
 * users before it opened: setup-failures.ts), waits for stragglers, and
 * closes everything it opened. It runs on `scheduler`, whose clock stamps every time: the real
 * clock and event loop by default, fake time in tests. The scheduler is stopped at the end.
 */
export async function runLoad(plan: LoadPlan, hooks: LoadHooks = {}, scheduler = new Scheduler()): Promise<LoadResult> {
  const part = plan.part ?? wholeLoad(groupsOpened(plan), plan.idleReceivers ?? 0)
  const instruments = instrumentsFor(scheduler, sizeOf(part.groups) * (plan.receivers ?? 1))
  const rssBeforeBytes = process.memoryUsage.rss()
  const watch = new SetupWatch({ receivers: sizeOf(part.groups) * (plan.receivers ?? 1) + sizeOf(part.idle), senders: sizeOf(part.groups) })
  const users = await openUsers(plan, part, instruments, watch)
  try {
    const window = await startSchedule(plan, users.groups, instruments, hooks)
    const open = await warmUp(instruments, window, hooks, watch)
    const measured = await measureWindow(instruments, open, hooks)
    await drain(instruments, pollGapMs(plan.transport, plan.settings), window)
    const result = score(plan, part, instruments, measured, rssBeforeBytes)
    return users.browser ? { ...result, browser: users.browser() } : result
  } finally {
    scheduler.stop()
    await users.close()
  }
}
