import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Scheduler } from '../../client/scheduler.js'
import { monotonicClock } from '../../clock.js'
import { generatorTuning, workerTuning } from '../../config.js'
import { ExitCode, UserError } from '../../errors.js'
import type { LoadResult } from '../../metrics/load-result.js'
import { groupsOpened } from '../../pacing/ramps.js'
import { pinProcess } from '../../pinning.js'
import { formatDurationMs } from '../../units.js'
import { sizeOf, splitPart, wholeLoad, type LoadPart } from '../partition.js'
import { workloadOf, type LoadHooks, type LoadPlan } from '../plan.js'
import { measuredWindow } from '../schedule.js'
import { SetupFailed, type Role } from '../setup-failures.js'
import { mergeLoads } from './merge-loads.js'
import { allAnswers } from './setup-sum.js'
import { decodeLoad, type FromWorker, type ToWorker, type WorkerPlan } from './worker-protocol.js'

const workerEntry = fileURLToPath(new URL('./worker-entry.js', import.meta.url))

export interface WorkerOptions {
  /** Worker processes; each drives a contiguous share of the groups and idle receivers. */
  count: number
  /** With --pin: worker i runs on core `cpus[i]`. */
  cpus?: readonly number[]
  /** Told each worker's pid once it is started. */
  onStart?: (pid: number) => void
}

/**
 * runLoad spread over `count` child processes. Each worker opens its share of the users and
 * reports ready; then all start on one schedule, given as an epoch time each converts to its
 * own clock, so their measured windows line up with the one this process reads the server's
 * stats at. Their raw loads are merged into the LoadResult one process would have produced.
 * Every worker is ended by its pid, whatever happens.
 */
export async function runLoadOnWorkers(plan: LoadPlan, options: WorkerOptions, hooks: LoadHooks = {}): Promise<LoadResult> {
  const parts = splitPart(plan.part ?? wholeLoad(groupsOpened(plan), plan.idleReceivers ?? 0), options.count)
  const children: ChildProcess[] = []
  const release = endOnInterrupt(children)
  try {
    for (let i = 0; i < parts.length; i++) children.push(startWorker(options))
    await pinWorkers(children, options.cpus)
    const ready = children.map((child, i) => {
      send(child, { type: 'plan', plan: workerPlan(plan, parts[i]!) })
      return expect(child, 'ready', workerTuning.readyTimeoutMs, 'open its users')
    })
    const totals = usersOf(parts, plan.receivers ?? 1)
    await allAnswers(ready, totals)
    if (hooks.onProgress) followProgress(children, plan, hooks.onProgress)
    return await measureOnWorkers(plan, children, hooks, totals)
  } finally {
    await Promise.all(children.map(stopWorker))
    release()
  }
}

async function measureOnWorkers(
  plan: LoadPlan,
  children: readonly ChildProcess[],
  hooks: LoadHooks,
  totals: Record<Role, number>,
): Promise<LoadResult> {
  const startMs = hooks.startAt ? await hooks.startAt() : monotonicClock.now() + generatorTuning.startDelayMs
  const untilStartMs = Math.max(0, startMs - monotonicClock.now())
  const resultTimeoutMs = untilStartMs + plan.warmupMs + plan.durationMs + generatorTuning.drainMaxMs + workerTuning.resultMarginMs
  const results = children.map((child) => expect(child, 'result', resultTimeoutMs, 'send its result'))
  for (const child of children) send(child, { type: 'start', startEpochMs: performance.timeOrigin + startMs })
  const window = watchWindow(plan, startMs, hooks)
  try {
    const loads = await allAnswers(results, totals)
    return mergeLoads(
      loads.map((message) => decodeLoad(message.load)),
      await window.ms,
    )
  } finally {
    window.cancel()
  }
}

function startWorker(options: WorkerOptions): ChildProcess {
  const child = fork(workerEntry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] })
  // A failed spawn also ends in 'exit', or in expect()'s timeout; this keeps it from being thrown.
  child.on('error', () => {})
  if (child.pid !== undefined) options.onStart?.(child.pid)
  return child
}

async function pinWorkers(children: readonly ChildProcess[], cpus: readonly number[] | undefined): Promise<void> {
  if (cpus === undefined) return
  const pinned = children.flatMap((child, i) => (child.pid !== undefined && cpus[i] !== undefined ? [pinProcess(child.pid, cpus[i])] : []))
  await Promise.all(pinned)
}

/** The run's users by role, as the workers' parts add up: a refusal is counted out of these. */
function usersOf(parts: readonly LoadPart[], receiversPerGroup: number): Record<Role, number> {
  const groups = parts.reduce((n, p) => n + sizeOf(p.groups), 0)
  const idle = parts.reduce((n, p) => n + sizeOf(p.idle), 0)
  return { receivers: groups * receiversPerGroup + idle, senders: groups }
}

/** The plan, field by field, as it crosses to a worker. */
function workerPlan(plan: LoadPlan, part: LoadPart): WorkerPlan {
  const { transport, settings, origin, access, runId, sendMode, receiverPath, receiverOrigin, faultsAtMs } = plan
  return {
    ...workloadOf(plan),
    transport: transport.name,
    settings,
    origin,
    ...(access ? { access } : {}),
    ...(receiverPath ? { receiverPath } : {}),
    ...(receiverOrigin !== undefined ? { receiverOrigin } : {}),
    ...(faultsAtMs ? { faultsAtMs } : {}),
    runId,
    sendMode,
    part,
  }
}

function send(child: ChildProcess, message: ToWorker): void {
  child.send(message)
}

type Answer<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>

/** The worker's next `type` message; rejects, in one line, if it fails, exits or times out first. */
function expect<T extends 'ready' | 'result'>(child: ChildProcess, type: T, timeoutMs: number, what: string): Promise<Answer<T>> {
  return new Promise((resolve, reject) => {
    const fail = (why: string): void =>
      finish(() => reject(new UserError(`load worker ${child.pid ?? '?'} ${why}`, ExitCode.RuntimeFailure)))
    const onMessage = (message: FromWorker): void => {
      if (message.type === type) finish(() => resolve(message as Answer<T>))
      else if (message.type === 'failed' && message.setup !== undefined) {
        const { role, failed, total, why } = message.setup
        finish(() => reject(new SetupFailed(role, failed, total, why)))
      } else if (message.type === 'failed') fail(`failed: ${message.message}`)
    }
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`exited (${signal ?? `code ${code}`}) before it could ${what}`)
    const onError = (err: Error): void => fail(`could not start: ${err.message}`)
    const timer = setTimeout(() => fail(`did not ${what} within ${formatDurationMs(timeoutMs)}`), timeoutMs)
    const finish = (settle: () => void): void => {
      clearTimeout(timer)
      child.off('message', onMessage).off('exit', onExit).off('error', onError)
      settle()
    }
    child.on('message', onMessage).on('exit', onExit).on('error', onError)
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode)
  })
}

/** The progress line of a multi-worker run: deliveries summed, the median as the first worker sees it. */
function followProgress(children: readonly ChildProcess[], plan: LoadPlan, report: NonNullable<LoadHooks['onProgress']>): void {
  const delivered = children.map(() => 0)
  children.forEach((child, i) =>
    child.on('message', (message: FromWorker) => {
      if (message.type !== 'progress') return
      delivered[i] = message.delivered
      if (i !== 0) return
      const total = delivered.reduce((a, b) => a + b, 0)
      report({
        transport: plan.transport.name,
        elapsedMs: message.elapsedMs,
        totalMs: message.totalMs,
        delivered: total,
        p50Ms: message.p50Ms ?? Number.NaN,
      })
    }),
  )
}

/**
 * The measured window on this process's clock, as every worker computes it from the same
 * start: the server's stats are read at its edges, and its length is the run's window.
 */
function watchWindow(plan: LoadPlan, startMs: number, hooks: LoadHooks): { ms: Promise<number>; cancel: () => void } {
  const scheduler = new Scheduler()
  const { clock } = scheduler
  const window = measuredWindow(startMs, plan)
  // Faults are injected here, where the proxy is, at the instants every worker records them at.
  plan.faultsAtMs?.forEach((at, index) => scheduler.at(window.startMs + at, () => hooks.onFault?.(index)))
  const ms = new Promise<number>((resolve) => {
    scheduler.at(window.startMs, () => {
      const openedMs = clock.now()
      hooks.onWindowEdge?.('start')
      scheduler.at(window.endMs, () => {
        const closedMs = clock.now()
        hooks.onWindowEdge?.('end')
        resolve(closedMs - openedMs)
      })
    })
  })
  return { ms, cancel: () => scheduler.stop() }
}

/** Ends a worker by its pid: SIGTERM, then SIGKILL if it lingers. */
async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), workerTuning.stopTimeoutMs)
  await exited
  clearTimeout(timer)
}

/**
 * Ctrl-C, SIGTERM or an exit of this process must not leave workers running: each is killed
 * by its pid, then the signal takes its usual course: the handler that was there first (`run`
 * prints and keeps what finished, then exits 130 or 143), or, with none, the signal again,
 * which ends the process. Returns the function that disarms this.
 */
function endOnInterrupt(children: readonly ChildProcess[]): () => void {
  const kill = (): void => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  const handledElsewhere = { SIGINT: process.listenerCount('SIGINT') > 0, SIGTERM: process.listenerCount('SIGTERM') > 0 }
  const interrupted = (signal: 'SIGINT' | 'SIGTERM'): void => {
    kill()
    release()
    if (!handledElsewhere[signal]) process.kill(process.pid, signal)
  }
  const release = (): void => {
    process.off('exit', kill).off('SIGINT', interrupted).off('SIGTERM', interrupted)
  }
  process.on('exit', kill).on('SIGINT', interrupted).on('SIGTERM', interrupted)
  return release
}
