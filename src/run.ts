import { randomBytes } from 'node:crypto'
import { describeContext, type RunContext, type RunSettings } from './context.js'
import { runLoad, type Progress } from './load/generator.js'
import type { ServerAccess } from './load/server-access.js'
import { fetchServerStats } from './load/server-stats.js'
import type { SendMode } from './load/users.js'
import { summarise, type ServerWindow, type TransportResult } from './metrics/summarise.js'
import { pinProcess, type Placement } from './pinning.js'
import { startEmbeddedServer, type EmbeddedOptions } from './server/embedded.js'
import type { ServerSecurity } from './server/security.js'
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
  /** What the embedded server is started with: TLS certificate and key, token. */
  security?: ServerSecurity
  /** What the generator reaches the server with: the certificate to trust, the token. */
  access?: ServerAccess
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
    const result = await runTransport(transport, options, events)
    report.results.push(result)
    events.onTransportDone?.(result, report)
  }
  return report
}

async function runTransport(transport: Transport, options: RunOptions, events: RunEvents): Promise<TransportResult> {
  const server = options.target === undefined ? await startEmbeddedServer(embeddedOptions(options)) : undefined
  const origin = options.target ?? server!.origin
  const sendMode = transport.openSender ? options.wsSend : 'post'
  try {
    const stats: ServerWindow = {}
    const reads: Promise<void>[] = []
    const load = await runLoad(
      { ...options, transport, origin, sendMode, runId: randomBytes(4).toString('hex') },
      {
        onWindowEdge: (edge) => reads.push(fetchServerStats(origin, options.access).then((s) => void (stats[edge] = s))),
        ...(events.onProgress ? { onProgress: events.onProgress } : {}),
      },
    )
    await Promise.all(reads)
    return summarise(transport.name, sendMode, load, stats)
  } finally {
    await server?.stop()
  }
}

function embeddedOptions(options: RunOptions): EmbeddedOptions {
  return {
    ...(options.placement ? { cpu: options.placement.serverCpu } : {}),
    ...(options.security ? { security: options.security } : {}),
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
    tls: options.target === undefined ? options.security?.tls !== undefined : options.target.startsWith('https:'),
    placement: options.placement ? `server:${options.placement.serverCpu} generator:${options.placement.generatorCpu}` : 'none',
  }
}
