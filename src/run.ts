import { randomBytes } from 'node:crypto'
import { describeContext, type RunContext, type RunSettings } from './context.js'
import { runLoad, type Progress } from './load/generator.js'
import { fetchServerStats } from './load/server-stats.js'
import type { SendMode } from './load/users.js'
import { summarise, type ServerWindow, type TransportResult } from './metrics/summarise.js'
import { combineRepeats } from './metrics/repeats.js'
import { pinProcess, type Placement } from './pinning.js'
import { startEmbeddedServer } from './server/embedded.js'
import type { Transport, TransportSettings } from './transports/types.js'

/** A validated run: what the CLI (or a test) asks for. */
export interface RunOptions {
  transports: readonly Transport[]
  pairs: number
  ratePerSec: number
  durationMs: number
  warmupMs: number
  payloadBytes: number
  settings: TransportSettings
  wsSend: SendMode
  /** Origin of a running server; undefined starts a fresh embedded server per transport. */
  target?: string
  placement?: Placement
  /** Runs per transport, each on a fresh server; the row holds their medians. Default 1. */
  repeat?: number
}

/** What a run produces: the context and one result per transport, in run order. */
export interface RunReport {
  schemaVersion: 1
  context: RunContext
  results: TransportResult[]
}

export interface RunEvents {
  onTransportStart?: (transport: string) => void
  onProgress?: (progress: Progress) => void
  onTransportDone?: (result: TransportResult, report: RunReport) => void
}

/**
 * The pipeline: for each transport in turn, a fresh server, the load, the server's stats at
 * the window's edges, and a summary. Transports never share a server, so one cannot disturb
 * the next.
 */
export async function runBenchmark(options: RunOptions, events: RunEvents = {}): Promise<RunReport> {
  const report: RunReport = { schemaVersion: 1, context: describeContext(settingsOf(options), new Date()), results: [] }
  if (options.placement) await pinProcess(process.pid, options.placement.generatorCpu)
  for (const transport of options.transports) {
    events.onTransportStart?.(transport.name)
    const runs: TransportResult[] = []
    for (let i = 0; i < (options.repeat ?? 1); i++) runs.push(await runTransport(transport, options, events))
    const result = combineRepeats(runs)
    report.results.push(result)
    events.onTransportDone?.(result, report)
  }
  return report
}

async function runTransport(transport: Transport, options: RunOptions, events: RunEvents): Promise<TransportResult> {
  const server = options.target === undefined ? await startEmbeddedServer(options.placement?.serverCpu) : undefined
  const origin = options.target ?? server!.origin
  const sendMode = transport.openSender ? options.wsSend : 'post'
  try {
    const stats: ServerWindow = {}
    const reads: Promise<void>[] = []
    const load = await runLoad(
      { ...options, transport, origin, sendMode, runId: randomBytes(4).toString('hex') },
      {
        onWindowEdge: (edge) => reads.push(fetchServerStats(origin).then((s) => void (stats[edge] = s))),
        ...(events.onProgress ? { onProgress: events.onProgress } : {}),
      },
    )
    await Promise.all(reads)
    return summarise(transport.name, sendMode, load, stats)
  } finally {
    await server?.stop()
  }
}

function settingsOf(options: RunOptions): RunSettings {
  return {
    pairs: options.pairs,
    ratePerSec: options.ratePerSec,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    payloadBytes: options.payloadBytes,
    pollIntervalMs: options.settings.pollIntervalMs,
    longPollTimeoutMs: options.settings.longPollTimeoutMs,
    wsSend: options.wsSend,
    target: options.target ?? 'embedded',
    placement: options.placement ? `server:${options.placement.serverCpu} generator:${options.placement.generatorCpu}` : 'none',
  }
}
