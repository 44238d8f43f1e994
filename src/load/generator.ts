import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Scheduler } from '../client/scheduler.js'
import type { ServerAccess } from '../client/server-access.js'
import { subtractCounts, Wire, type WireCounts } from '../client/wire.js'
import { now } from '../clock.js'
import { generatorTuning } from '../config.js'
import { ErrorTally } from '../metrics/errors-tally.js'
import type { LoadResult, StageTarget } from '../metrics/load-result.js'
import { Recorder, type Window } from '../metrics/recorder.js'
import { seededRandom, type ArrivalProcess, type Random } from '../pacing/arrivals.js'
import { sendTimes } from '../pacing/send-times.js'
import { peakOf, profileOf, varies, type Profile, type Stage } from '../pacing/stages.js'
import { pollGapMs, settingsOf } from '../transports/setting-values.js'
import type { ClientContext, OnData, SendMode, Transport, TransportSettings } from '../transports/types.js'
import { decodeMessage, encodeMessage, paddingFor, stampTime } from './message.js'
import { sizeOf, wholeLoad, type LoadPart } from './partition.js'
import { openPopulation, type Group } from './users.js'

/** The shape of the load, the same for every transport of a run: who sends what, how fast, for how long. */
export interface Workload {
  /** Groups of one sender and `receivers` receivers: userA/userB pairs by default. */
  pairs: number
  /** Messages per second per sender, at a constant rate unless `arrival` says otherwise. */
  ratePerSec: number
  durationMs: number
  warmupMs: number
  /** Bytes of data per message; with `payloadMaxBytes`, the smallest of a uniform range. */
  payloadBytes: number
  /** Each transport's own settings by name (transports/setting.ts); the receivers of a run get their transport's. */
  settings: TransportSettings
  /** Receivers per group (default 1); more than one share a room and each gets every message. */
  receivers?: number
  /** Receivers connected for the whole run that are sent nothing (default 0). */
  idleReceivers?: number
  arrival?: ArrivalProcess
  payloadMaxBytes?: number
  /** Seeds Poisson arrivals and payload sizes, so a run repeats exactly (default 1). */
  seed?: number
  /**
   * Ramps of the rate and the number of sending groups over the measured window, from
   * `ratePerSec` and `pairs` (which hold during warm-up); `durationMs` is their total. Every
   * group ever active is connected before the run; one outside the active count sends nothing.
   */
  stages?: readonly Stage[]
}

/** One transport's load: the workload, and where and how to deliver it. */
export interface LoadPlan extends Workload {
  transport: Transport
  /** Server origin, e.g. `http://127.0.0.1:8080`. */
  origin: string
  /** The certificate to trust (https) and the token to send, when the server needs them. */
  access?: ServerAccess
  /** Prefix of every user id, so runs against a shared server never meet. */
  runId: string
  sendMode: SendMode
  /** The share of the run's groups and idle receivers to drive here (default: all of them). */
  part?: LoadPart
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
  /**
   * Called once every user is open; resolves to when the schedule starts, on this process's
   * clock. Default: `startDelayMs` from now. Workers wait here for the run's common start.
   */
  startAt?: () => Promise<number>
}

const progressEveryMs = 250
/** Event-loop delay sampling period; the histogram records whole periods, so it is subtracted. */
const loopDelayResolutionMs = 5

const goldenRatio = (1 + Math.sqrt(5)) / 2

/**
 * Drives `plan.pairs` groups (a userA and its receivers; with stages, as many as are ever
 * active) through one transport: opens every user, sends on schedule (an open model: a slow
 * server cannot slow it down), measures the window after warm-up, waits for stragglers, and
 * closes everything it opened.
 */
export async function runLoad(plan: LoadPlan, hooks: LoadHooks = {}): Promise<LoadResult> {
  const part = plan.part ?? wholeLoad(groupsOpened(plan), plan.idleReceivers ?? 0)
  const shape = {
    groups: sizeOf(part.groups),
    receiversPerGroup: plan.receivers ?? 1,
    idleReceivers: sizeOf(part.idle),
    firstGroup: part.groups.from,
    firstIdle: part.idle.from,
    // A burst must reach the server as a burst, not paced by one round trip per POST.
    sendPipelining: plan.arrival?.kind === 'bursts' ? Math.min(plan.arrival.size, generatorTuning.maxSendPipelining) : 1,
  }
  const scheduler = new Scheduler()
  const recorder = new Recorder(shape.groups * shape.receiversPerGroup)
  const sendWire = new Wire()
  const receiveWire = new Wire()
  const sendErrors = new ErrorTally()
  const receiveErrors = new ErrorTally()
  const idOf = (name: string): string => `${plan.runId}-${name}`
  // The part's receivers are numbered from its first group's, as in a single-process run.
  const firstReceiver = part.groups.from * shape.receiversPerGroup
  let receivers = firstReceiver
  const settings = settingsOf(plan.transport, plan.settings)
  const context = (role: 'a' | 'b', name: string): ClientContext => ({
    // Golden-ratio steps (a Weyl sequence) cover [0, 1) evenly and never line up with the
    // senders' evenly spaced offsets, so poll-to-send offsets are sampled across the interval.
    ...(role === 'b' ? { phase: (receivers++ * goldenRatio) % 1 } : {}),
    origin: plan.origin,
    ...(plan.access ? { access: plan.access } : {}),
    user: idOf(role === 'a' ? `${name}-a` : name),
    wire: role === 'a' ? sendWire : receiveWire,
    onError: role === 'a' ? sendErrors.add : receiveErrors.add,
    scheduler,
    now,
    settings,
  })
  const onData =
    (group: number, receiver: number): OnData =>
    (data, receivedMs) => {
      const stamp = decodeMessage(data)
      if (stamp?.pair !== group) return receiveErrors.add(new Error(`receiver ${receiver} got a message that is not its group's`))
      recorder.delivered(receiver - firstReceiver, stamp.seq, stamp.scheduledMs, receivedMs)
    }
  const onIdleData = (): void => receiveErrors.add(new Error('an idle receiver got a message'))

  const generatorRssBeforeBytes = process.memoryUsage.rss()
  const population = await openPopulation(plan.transport, shape, { idOf, context }, plan.sendMode, { onData, onIdleData })
  try {
    const t0 = hooks.startAt ? await hooks.startAt() : now() + generatorTuning.startDelayMs
    const measured = await measure(plan, t0, population.groups, scheduler, recorder, { send: sendWire, receive: receiveWire }, hooks)
    const connectionsTotal = sendWire.connections + receiveWire.connections
    const receiversConnected = shape.groups * shape.receiversPerGroup + shape.idleReceivers
    return {
      recorded: recorder.recorded,
      ...measured,
      connectionsTotal,
      sendErrors,
      receiveErrors,
      receiversConnected,
      generatorRssBeforeBytes,
      ...(plan.stages?.length ? { stageTargets: stageTargetsOf(plan) } : {}),
    }
  } finally {
    scheduler.stop()
    await population.close()
  }
}

interface Measured {
  send: WireCounts
  receive: WireCounts
  windowMs: number
  generatorCpuMs: number
  loopDelayP99Ms: number
  generatorRssEndBytes: number
  connectionsHeld: number
}

async function measure(
  plan: LoadPlan,
  t0: number,
  groups: readonly Group[],
  scheduler: Scheduler,
  recorder: Recorder,
  wires: { send: Wire; receive: Wire },
  hooks: LoadHooks,
): Promise<Measured> {
  // Edges rounded as stamps are, so a send due exactly at the start (no warm-up) counts.
  const window = { startMs: stampTime(t0 + plan.warmupMs), endMs: stampTime(t0 + plan.warmupMs + plan.durationMs) }
  recorder.setWindow(window, stageEndsOf(plan.stages ?? [], t0 + plan.warmupMs))
  scheduleSends(plan, groups, scheduler, recorder, t0, window)
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
  await drain(recorder, generatorTuning.drainMs + 2 * pollGapMs(plan.transport, plan.settings), window.endMs + generatorTuning.drainMaxMs)
  return {
    send: subtractCounts(edges.end.send, edges.start.send),
    receive: subtractCounts(edges.end.receive, edges.start.receive),
    windowMs: edges.end.atMs - edges.start.atMs,
    generatorCpuMs: (edges.end.cpuUs - edges.start.cpuUs) / 1000,
    loopDelayP99Ms: loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - loopDelayResolutionMs) : 0,
    generatorRssEndBytes: edges.end.rssBytes,
    connectionsHeld: edges.end.openSockets,
  }
}

/**
 * Each sender follows its arrival process (and the stages' ramps); with a constant rate or
 * bursts, group i starts i/groups of a period late, to spread the load. A message counts once
 * per receiver of its group: each must get it.
 */
function scheduleSends(
  plan: LoadPlan,
  groups: readonly Group[],
  scheduler: Scheduler,
  recorder: Recorder,
  t0: number,
  window: Window,
): void {
  const arrival = plan.arrival ?? { kind: 'constant', ratePerSec: plan.ratePerSec }
  // Poisson senders are already spread at random; the others start staggered over one period.
  const periodMs = arrival.kind === 'bursts' ? arrival.everyMs : arrival.kind === 'constant' ? 1000 / arrival.ratePerSec : 0
  const fanOut = plan.receivers ?? 1
  const seed = plan.seed ?? 1
  const payloadSize = payloadSizes(plan.payloadBytes, plan.payloadMaxBytes ?? plan.payloadBytes, seededRandom(seed))
  const padding = paddingFor(plan.payloadMaxBytes ?? plan.payloadBytes)
  const ramps = rampsOf(plan, arrival)
  for (const group of groups) {
    const nextDue = sendTimes({
      arrival,
      random: seededRandom(seed + group.index + 1),
      startMs: t0 + (group.index / groupsOpened(plan)) * periodMs,
      windowStartMs: t0 + plan.warmupMs,
      endMs: window.endMs,
      group: group.index,
      ...ramps,
    })
    const sendAt = (seq: number, due: number): void => {
      const scheduledMs = stampTime(due)
      const data = encodeMessage({ pair: group.index, seq, scheduledMs }, padding, payloadSize())
      const sentMs = now()
      group.sender.send(group.recipient, data)
      recorder.sent(scheduledMs, sentMs, fanOut)
      const next = nextDue()
      if (next !== undefined) scheduler.at(next, () => sendAt(seq + 1, next))
    }
    const first = nextDue()
    if (first !== undefined) scheduler.at(first, () => sendAt(0, first))
  }
}

/** The profiles that change during the run; a field no stage changes keeps the fixed schedule. */
function rampsOf(plan: LoadPlan, arrival: ArrivalProcess): { rate?: Profile; groups?: Profile } {
  const stages = plan.stages ?? []
  const rate = arrival.kind === 'bursts' ? undefined : profileOf(arrival.ratePerSec, stages, 'ratePerSec')
  const groups = profileOf(plan.pairs, stages, 'groups')
  return { ...(rate !== undefined && varies(rate) ? { rate } : {}), ...(varies(groups) ? { groups } : {}) }
}

/** Where each stage ends on the clock, rounded as stamps are, so every message falls in exactly one. */
function stageEndsOf(stages: readonly Stage[], windowStartMs: number): number[] {
  let atMs = windowStartMs
  return stages.map((s) => stampTime((atMs += s.durationMs)))
}

function stageTargetsOf(plan: LoadPlan): StageTarget[] {
  const stages = plan.stages ?? []
  const arrival = plan.arrival ?? { kind: 'constant', ratePerSec: plan.ratePerSec }
  const rate = arrival.kind === 'bursts' ? undefined : profileOf(arrival.ratePerSec, stages, 'ratePerSec')
  const groups = profileOf(plan.pairs, stages, 'groups')
  return stages.map((_, i) => ({ ratePerSec: rate?.points[i + 1]!.value ?? null, groups: groups.points[i + 1]!.value }))
}

/**
 * Groups a run opens: with stages, every group that is ever active, so no connection set-up
 * falls in the window; workers split this many.
 */
export function groupsOpened(workload: Workload): number {
  return Math.round(peakOf(profileOf(workload.pairs, workload.stages ?? [], 'groups')))
}

/** Payload sizes: fixed, or uniform over [min, max] bytes. */
function payloadSizes(minBytes: number, maxBytes: number, random: Random): () => number {
  if (maxBytes <= minBytes) return () => minBytes
  const span = maxBytes - minBytes + 1
  return () => minBytes + Math.floor(random() * span)
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
  rssBytes: number
  openSockets: number
}

function snapshot(wires: { send: Wire; receive: Wire }): Snapshot {
  const cpu = process.cpuUsage()
  return {
    atMs: now(),
    cpuUs: cpu.user + cpu.system,
    send: wires.send.snapshot(),
    receive: wires.receive.snapshot(),
    rssBytes: process.memoryUsage.rss(),
    openSockets: wires.send.openSockets + wires.receive.openSockets,
  }
}

/**
 * Waits until every message sent has arrived once. A backlog still draining is waited for (up
 * to `deadlineMs`), so its messages count as late, with their true latency, not as lost; once
 * nothing has arrived for `quietMs`, the rest are lost.
 */
async function drain(recorder: Recorder, quietMs: number, deadlineMs: number): Promise<void> {
  const recorded = recorder.recorded
  let seen = recorded.deliveredTotal
  let lastArrivalMs = now()
  while (recorded.deliveredTotal < recorded.sentTotal && now() < deadlineMs && now() - lastArrivalMs < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    if (recorded.deliveredTotal !== seen) {
      seen = recorded.deliveredTotal
      lastArrivalMs = now()
    }
  }
}
