import { monitorEventLoopDelay } from 'node:perf_hooks'
import { now } from '../clock.js'
import { generatorTuning } from '../config.js'
import type { Recorded } from '../metrics/recorder.js'
import { Recorder } from '../metrics/recorder.js'
import type { ClientContext, Transport, TransportSettings } from '../transports/types.js'
import { ErrorTally } from './errors-tally.js'
import { decodeMessage, encodeMessage, paddingFor, stampTime } from './message.js'
import { Scheduler } from './scheduler.js'
import type { ServerAccess } from './server-access.js'
import { closePairs, openPairs, type Pair, type SendMode } from './users.js'
import { subtractCounts, Wire, type WireCounts } from './wire.js'

/** One transport's load: who sends what, how fast, for how long. */
export interface LoadPlan {
  transport: Transport
  /** Server origin, e.g. `http://127.0.0.1:8080`. */
  origin: string
  /** The certificate to trust (https) and the token to send, when the server needs them. */
  access?: ServerAccess
  /** Prefix of every user id, so runs against a shared server never meet. */
  runId: string
  pairs: number
  ratePerSec: number
  durationMs: number
  warmupMs: number
  payloadBytes: number
  settings: TransportSettings
  sendMode: SendMode
}

export interface Progress {
  transport: string
  elapsedMs: number
  totalMs: number
  delivered: number
  p50Ms: number
}

export interface LoadHooks {
  /** At the start and the end of the measured window: the runner reads the server's stats. */
  onWindowEdge?: (edge: 'start' | 'end') => void
  onProgress?: (progress: Progress) => void
}

/** What the generator saw of one transport, raw: summarise.ts derives every figure from it. */
export interface LoadResult {
  recorded: Recorded
  /** userA's side during the measured window. */
  send: WireCounts
  /** userB's side during the measured window. */
  receive: WireCounts
  windowMs: number
  /** TCP connections opened over the whole run, set-up included. */
  connectionsTotal: number
  sendErrors: ErrorTally
  receiveErrors: ErrorTally
  /** The generator's own health during the window. */
  generatorCpuMs: number
  loopDelayP99Ms: number
}

const progressEveryMs = 250
/** Event-loop delay sampling period; the histogram records whole periods, so it is subtracted. */
const loopDelayResolutionMs = 5

/**
 * Drives `plan.pairs` userA/userB pairs through one transport: opens every user, sends on a
 * fixed schedule (an open model: a slow server cannot slow it down), measures the window
 * after warm-up, waits for stragglers, and closes everything it opened.
 */
export async function runLoad(plan: LoadPlan, hooks: LoadHooks = {}): Promise<LoadResult> {
  const scheduler = new Scheduler()
  const recorder = new Recorder(plan.pairs)
  const sendWire = new Wire()
  const receiveWire = new Wire()
  const sendErrors = new ErrorTally()
  const receiveErrors = new ErrorTally()
  const context = (role: 'a' | 'b', index: number): ClientContext => ({
    origin: plan.origin,
    ...(plan.access ? { access: plan.access } : {}),
    user: `${plan.runId}-${index}-${role}`,
    wire: role === 'a' ? sendWire : receiveWire,
    onError: role === 'a' ? sendErrors.add : receiveErrors.add,
    scheduler,
    settings: plan.settings,
  })
  const onData = (index: number) => (data: string) => {
    const receivedMs = now()
    const stamp = decodeMessage(data)
    if (stamp?.pair !== index) return receiveErrors.add(new Error(`user ${index} got a message that is not its own`))
    recorder.delivered(index, stamp.seq, stamp.scheduledMs, receivedMs)
  }

  const pairs = await openPairs(plan.transport, plan.pairs, context, plan.sendMode, onData)
  try {
    const measured = await measure(plan, pairs, scheduler, recorder, { send: sendWire, receive: receiveWire }, hooks)
    const connectionsTotal = sendWire.connections + receiveWire.connections
    return { recorded: recorder.recorded, ...measured, connectionsTotal, sendErrors, receiveErrors }
  } finally {
    scheduler.stop()
    await closePairs(pairs)
  }
}

interface Measured {
  send: WireCounts
  receive: WireCounts
  windowMs: number
  generatorCpuMs: number
  loopDelayP99Ms: number
}

async function measure(
  plan: LoadPlan,
  pairs: readonly Pair[],
  scheduler: Scheduler,
  recorder: Recorder,
  wires: { send: Wire; receive: Wire },
  hooks: LoadHooks,
): Promise<Measured> {
  const t0 = now() + generatorTuning.startDelayMs
  const window = { startMs: t0 + plan.warmupMs, endMs: t0 + plan.warmupMs + plan.durationMs }
  recorder.setWindow(window)
  scheduleSends(plan, pairs, scheduler, recorder, t0, window.endMs)
  scheduleProgress(plan, scheduler, recorder, t0, window.endMs, hooks)

  const loopDelay = monitorEventLoopDelay({ resolution: loopDelayResolutionMs })
  const edges = await new Promise<{ start: Snapshot; end: Snapshot }>((resolve) => {
    scheduler.at(window.startMs, () => {
      loopDelay.enable()
      const start = snapshot(wires)
      hooks.onWindowEdge?.('start')
      scheduler.at(window.endMs, () => {
        const end = snapshot(wires)
        loopDelay.disable()
        hooks.onWindowEdge?.('end')
        resolve({ start, end })
      })
    })
  })
  await drain(recorder, window.endMs + generatorTuning.drainMs + 2 * plan.settings.pollIntervalMs)
  return {
    send: subtractCounts(edges.end.send, edges.start.send),
    receive: subtractCounts(edges.end.receive, edges.start.receive),
    windowMs: edges.end.atMs - edges.start.atMs,
    generatorCpuMs: (edges.end.cpuUs - edges.start.cpuUs) / 1000,
    loopDelayP99Ms: loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - loopDelayResolutionMs) : 0,
  }
}

/** Each pair sends at a fixed rate; pair i starts i/pairs of an interval late, to spread the load. */
function scheduleSends(plan: LoadPlan, pairs: readonly Pair[], scheduler: Scheduler, recorder: Recorder, t0: number, endMs: number): void {
  const intervalMs = 1000 / plan.ratePerSec
  const padding = paddingFor(plan.payloadBytes)
  for (const pair of pairs) {
    const offsetMs = (pair.index / pairs.length) * intervalMs
    const sendNext = (seq: number, due: number): void => {
      if (due >= endMs) return
      const scheduledMs = stampTime(due)
      const data = encodeMessage({ pair: pair.index, seq, scheduledMs }, padding)
      const sentMs = now()
      pair.sender.send(pair.to, data)
      recorder.sent(scheduledMs, sentMs)
      const next = t0 + offsetMs + (seq + 1) * intervalMs
      scheduler.at(next, () => sendNext(seq + 1, next))
    }
    scheduler.at(t0 + offsetMs, () => sendNext(0, t0 + offsetMs))
  }
}

function scheduleProgress(plan: LoadPlan, scheduler: Scheduler, recorder: Recorder, t0: number, endMs: number, hooks: LoadHooks): void {
  const report = hooks.onProgress
  if (report === undefined) return
  const tick = (due: number): void => {
    report({
      transport: plan.transport.name,
      elapsedMs: Math.max(0, now() - t0),
      totalMs: endMs - t0,
      delivered: recorder.recorded.deliveredTotal,
      p50Ms: recorder.recorded.latency.totalCount > 0 ? recorder.recorded.latency.getValueAtPercentile(50) / 1000 : Number.NaN,
    })
    if (due + progressEveryMs < endMs) scheduler.at(due + progressEveryMs, () => tick(due + progressEveryMs))
  }
  scheduler.at(t0, () => tick(t0))
}

interface Snapshot {
  atMs: number
  cpuUs: number
  send: WireCounts
  receive: WireCounts
}

function snapshot(wires: { send: Wire; receive: Wire }): Snapshot {
  const cpu = process.cpuUsage()
  return { atMs: now(), cpuUs: cpu.user + cpu.system, send: wires.send.snapshot(), receive: wires.receive.snapshot() }
}

/** Waits until every message sent has arrived once, or the deadline passes (the rest are lost). */
async function drain(recorder: Recorder, deadlineMs: number): Promise<void> {
  const recorded = recorder.recorded
  while (recorded.deliveredTotal < recorded.sentTotal && now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
