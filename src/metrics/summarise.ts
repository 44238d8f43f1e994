import { addCounts } from '../client/wire.js'
import { generatorTuning } from '../config.js'
import type { ServerStats } from '../protocol/stats.js'
import type { SendMode, TransportSettings } from '../transports/types.js'
import { bytesToMb } from '../units.js'
import { encodeHistogram, summariseLatency, type LatencySummary } from './histogram.js'
import type { BrowserFacts, LoadResult } from './load-result.js'
import type { RepeatSpread } from './repeats.js'
import { summariseTimeline, type TimelineSlot } from './timeline.js'

/** The server's stats at the two edges of the measured window, when the server reports them. */
export interface ServerWindow {
  /** Before any user connected: the server's memory with nobody on it. */
  baseline?: ServerStats
  start?: ServerStats
  end?: ServerStats
}

/** One transport's figures: a row of the table, the CSV and the JSON. */
export interface TransportResult {
  transport: string
  sendMode: SendMode
  /** Messages scheduled inside the measured window. */
  sent: number
  /** Of those, delivered at least once. */
  delivered: number
  lost: number
  duplicated: number
  reordered: number
  latency: LatencySummary
  /** Receive-side HTTP requests (polls; one per stream or upgrade) per delivered message. */
  recvRequestsPerMsg: number
  /** Bytes the generator wrote per delivered message: senders and receivers, headers and framing. */
  bytesUpPerMsg: number
  /** Bytes the generator read per delivered message. */
  bytesDownPerMsg: number
  /** TCP connections the generator opened over the whole run (set-up included). */
  connections: number
  /** Server CPU (user + system) per 1,000 delivered messages; null when the server does not say. */
  serverCpuMsPer1k: number | null
  /** Server peak resident memory; null when the server does not say. */
  serverRssMb: number | null
  /** Messages the server dropped from full mailboxes during the window. */
  serverDropped: number | null
  sendLagP50Us: number
  sendLagP99Us: number
  loopDelayP99Ms: number
  /** Generator CPU time as a share of one core over the window (it busy-waits near sends). */
  generatorCpuPct: number
  /** True when the generator's lag or stalls were large enough to distort the latencies, or sends queued. */
  generatorLimited: boolean
  /** Sends of the window that waited behind their sender's full pipeline before reaching the socket. */
  sendsQueued?: number
  sendErrors: number
  receiveErrors: number
  /** Times receivers connected again within the window after a failure (a dropped stream, a failed poll). */
  reconnects?: number
  /** First error seen, if any, so a row with losses explains itself. */
  firstError: string | null
  /** The HTTP version its requests and streams went over: `1.1`, or `2` with --http2 (absent in older files). */
  httpVersion?: string
  windowMs: number
  /** The latency histogram (µs), HdrHistogram V2 compressed base64: mergeable later. */
  histogram: string
  /** With --repeat: how many runs the figures are the medians of, and how far p50 and p99 ranged. */
  repeats?: RepeatSpread
  /** Receivers connected through the run, idle ones included. */
  receivers: number
  /** Receive-side HTTP requests per minute of the window, all receivers together. */
  recvRequestsPerMin: number
  /** Server resident memory grown since before anyone connected, per 1,000 connected receivers. */
  serverRssMbPer1kReceivers: number | null
  /**
   * The generator's resident memory grown from before any user was opened to the window's end,
   * per 1,000 sockets it held open then (senders' and receivers'); null when it held none.
   */
  generatorRssMbPer1kConnections: number | null
  /**
   * The server's resident memory grown since before anyone connected, per 1,000 of its
   * connections: one per generator socket (loopback, one to one); null without server stats.
   */
  serverRssMbPer1kConnections: number | null
  /** This row's transport settings, when the runner sets them (a poll sweep varies them by row). */
  settings?: TransportSettings
  /** With stages: the row's figures per stage, each message in the stage of its scheduled send time. */
  stages?: StageResult[]
  /** Latency per second of scheduled send time over the window (wider slots past 2 minutes); JSON only. */
  timeline?: TimelineSlot[]
  /** With an emulated link: the round trip it achieved over the window, p50 and p99 (link/achieved.ts). */
  achievedRttP50Ms?: number
  achievedRttP99Ms?: number
  /** With a link: its achieved p50 was more than 10% off the asked RTT. */
  linkOff?: boolean
  /** With a link: the achieved RTT in one line, and why it was off when it was. */
  linkNote?: string | null
  /**
   * Set-up cost of a receiver, median of a few opened after the load (load/setup-probe.ts): from
   * the start of its connect to the first byte of the server's first answer (WebSocket 101, SSE
   * headers, first poll answered), TLS handshake included; and the bytes both ways until then.
   */
  setupP50Ms?: number
  setupBytes?: number
  /** Where the receivers ran: `node` (the generator's own clients) or `browser` (pages of a headless Chromium). */
  clients?: 'node' | 'browser'
  /** With browser receivers: the browser, its pages and its clock offset (JSON only). */
  browser?: BrowserFacts
  /** A shard's: when its measured window opened, epoch ms on its machine's wall clock. */
  windowOpenedAtMs?: number
  /** Merged shards': how far apart their windows opened (latest − earliest), in ms. */
  windowSkewMs?: number
  /** Why the row is not a measurement to trust (`target restarted during the window …`); absent when it is. */
  invalid?: string | null
  /** With --faults: what was injected into the receivers' connections (`drop-every=2s`), and how many times. */
  faults?: string
  faultsInjected?: number
  /** With --faults: the row was measured under injected faults. */
  faulted?: boolean
  /** From each fault to the first message its receiver got after it, over every fault and receiver: p50 and max. */
  recoveryP50Ms?: number
  recoveryMaxMs?: number
  /** Messages scheduled before their receiver recovered from a fault and received at or after it (faults/, docs/RESULTS.md). */
  lateAfterFault?: number
  /** From each fault to its receiver's first drop of a connection found silent after it (a stall's detection): p50 and max. */
  detectP50Ms?: number
  detectMaxMs?: number
  /** Connections receivers dropped because they heard nothing past their limit (client/silence.ts), in the window. */
  silentDrops?: number
  /** The round trip receivers were told to allow a poll before calling its connection silent: a stats read's plus the link's. */
  receiverRttMs?: number
}

/** One stage of a row: a row covering a ramp mixes stages, so these say where latency bent. */
export interface StageResult {
  /** 1 for the first stage, as the scenario file lists them. */
  stage: number
  /** The stage's edges in ms from the start of the measured window. */
  startMs: number
  endMs: number
  /** Messages per second per sender at the stage's end; null with bursts, which have no rate. */
  ratePerSec: number | null
  /** Groups sending at the stage's end. */
  groups: number
  sent: number
  delivered: number
  lost: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

/** Pure: turns what the generator and server recorded into the figures a report shows. */
export function summarise(transport: string, sendMode: SendMode, load: LoadResult, read: ServerWindow): TransportResult {
  const r = load.recorded
  const server = oneProcess(read)
  const wire = addCounts(load.send, load.receive)
  const latency = summariseLatency(r.latency)
  // Clamped to the max, as every latency percentile is (histogram.ts).
  const lagAt = (p: number): number => (r.sendLag.totalCount > 0 ? Math.min(r.sendLag.getValueAtPercentile(p), r.sendLag.maxValue) : 0)
  const sendLagP50Us = lagAt(50)
  const sendLagP99Us = lagAt(99)
  return {
    transport,
    sendMode,
    sent: r.sent,
    delivered: r.delivered,
    lost: Math.max(0, r.sent - r.delivered),
    duplicated: r.duplicated,
    reordered: r.reordered,
    latency,
    recvRequestsPerMsg: perMessage(load.receive.requests, r.delivered),
    bytesUpPerMsg: perMessage(wire.bytesUp, r.delivered),
    bytesDownPerMsg: perMessage(wire.bytesDown, r.delivered),
    connections: load.connectionsTotal,
    serverCpuMsPer1k: serverCpuPer1k(server, r.delivered),
    serverRssMb: server.end ? server.end.maxRssBytes / (1024 * 1024) : null,
    serverDropped: server.start && server.end ? server.end.dropped - server.start.dropped : null,
    sendLagP50Us,
    sendLagP99Us,
    loopDelayP99Ms: load.loopDelayP99Ms,
    generatorCpuPct: load.windowMs > 0 ? (100 * load.generatorCpuMs) / load.windowMs : 0,
    generatorLimited: isGeneratorLimited(sendLagP99Us, latency.p99Ms, load.loopDelayP99Ms) || r.sendsQueued > 0,
    sendsQueued: r.sendsQueued,
    sendErrors: load.sendErrors.count,
    receiveErrors: load.receiveErrors.count,
    reconnects: load.receive.reconnects ?? 0,
    firstError: load.sendErrors.first ?? load.receiveErrors.first ?? null,
    windowMs: load.windowMs,
    histogram: encodeHistogram(r.latency),
    receivers: load.receiversConnected,
    recvRequestsPerMin: load.windowMs > 0 ? (load.receive.requests * 60_000) / load.windowMs : Number.NaN,
    serverRssMbPer1kReceivers: rssPer1kReceivers(server, load.receiversConnected),
    generatorRssMbPer1kConnections: mbPer1k(load.generatorRssEndBytes - load.generatorRssBeforeBytes, load.connectionsHeld),
    serverRssMbPer1kConnections:
      server.baseline && server.end ? mbPer1k(server.end.rssBytes - server.baseline.rssBytes, load.connectionsHeld) : null,
    ...(r.stages.length > 0 ? { stages: stageResults(load) } : {}),
    timeline: summariseTimeline(r.timeline),
    clients: load.browser ? 'browser' : 'node',
    ...(load.browser ? { browser: load.browser } : {}),
  }
}

/**
 * A --target's row is invalid when another instance answered at the window's end than at its
 * start: the target restarted inside the window, and nobody here asked it to (--faults restarts
 * only the embedded server, on purpose). The row still gets summarised, its server figures left out.
 */
export function targetRestarted({ start, end }: ServerWindow): Pick<TransportResult, 'invalid'> {
  if (start?.instanceId === undefined || end?.instanceId === undefined || start.instanceId === end.instanceId) return {}
  return { invalid: `target restarted during the window (instance ${start.instanceId} at its start, ${end.instanceId} at its end)` }
}

/**
 * The reads that came from the process the window ends on: CPU, memory and drops are never
 * differenced across two processes. A restart inside the window leaves no server figure; one
 * during set-up or warm-up leaves the window's own but not memory grown since the baseline.
 */
function oneProcess(read: ServerWindow): ServerWindow {
  const same = (a: ServerStats | undefined, b: ServerStats | undefined): boolean =>
    a?.instanceId === undefined || b?.instanceId === undefined || a.instanceId === b.instanceId
  if (!same(read.start, read.end)) return {}
  if (same(read.baseline, read.end) && same(read.baseline, read.start)) return read
  return { ...(read.start ? { start: read.start } : {}), ...(read.end ? { end: read.end } : {}) }
}

function stageResults(load: LoadResult): StageResult[] {
  return load.recorded.stages.map((s, i) => {
    const latency = summariseLatency(s.latency)
    const target = load.stageTargets?.[i]
    return {
      stage: i + 1,
      startMs: s.fromMs,
      endMs: s.toMs,
      ratePerSec: target?.ratePerSec ?? null,
      groups: target?.groups ?? Number.NaN,
      sent: s.sent,
      delivered: s.delivered,
      lost: Math.max(0, s.sent - s.delivered),
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      maxMs: latency.maxMs,
    }
  })
}

/** Memory grown, in MB per 1,000 of `count` (connections, receivers); null when there are none. */
function mbPer1k(grownBytes: number, count: number): number | null {
  return count > 0 ? (bytesToMb(grownBytes) / count) * 1000 : null
}

/** The cost of being connected: memory the server gained over its empty baseline, per 1,000 receivers. */
function rssPer1kReceivers({ baseline, end }: ServerWindow, receivers: number): number | null {
  if (baseline === undefined || end === undefined) return null
  return mbPer1k(end.rssBytes - baseline.rssBytes, receivers)
}

/** Cost per delivered message; NaN when nothing was delivered (reported as such, not as 0). */
export function perMessage(total: number, delivered: number): number {
  return delivered > 0 ? total / delivered : Number.NaN
}

function serverCpuPer1k({ start, end }: ServerWindow, delivered: number): number | null {
  if (start === undefined || end === undefined) return null
  const cpuMs = (end.cpuUserUs + end.cpuSystemUs - start.cpuUserUs - start.cpuSystemUs) / 1000
  return perMessage(cpuMs * 1000, delivered)
}

/** Why a generator-limited row is one, in words: queued sends first, then lag and stalls. */
export function generatorLimitCause(r: Pick<TransportResult, 'sendsQueued' | 'sendLagP99Us' | 'loopDelayP99Ms'>): string {
  const figures = `send lag p99 ${r.sendLagP99Us} µs (to the socket), event-loop delay p99 ${r.loopDelayP99Ms.toFixed(1)} ms`
  if ((r.sendsQueued ?? 0) === 0) return figures
  return `${r.sendsQueued} sends queued behind ${generatorTuning.maxSendPipelining} POSTs in flight on their sender's connection; ${figures}`
}

/**
 * Latency counts from the scheduled send, so generator lag is inside every figure. When that
 * lag is a large share of the tail, or the event loop stalled, the row is the generator's.
 */
export function isGeneratorLimited(sendLagP99Us: number, latencyP99Ms: number, loopDelayP99Ms: number): boolean {
  const lagShare = sendLagP99Us > generatorTuning.lagFloorUs && sendLagP99Us / 1000 > generatorTuning.lagShareLimit * latencyP99Ms
  return lagShare || loopDelayP99Ms > generatorTuning.loopDelayLimitMs
}
