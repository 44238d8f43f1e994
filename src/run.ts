import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { BrowserOptions } from './browser/session.js'
import { failIfTargetLost, isTargetLost } from './client/lost-target.js'
import type { ServerAccess } from './client/server-access.js'
import { fetchServerStats } from './client/server-stats.js'
import { describeContext, type RunSettings } from './context.js'
import { ExitCode, UserError } from './errors.js'
import { openFaults, type FaultInjector } from './faults/inject.js'
import { describeFaults, type FaultSpec } from './faults/spec.js'
import { startEmbeddedServer, type EmbeddedOptions, type EmbeddedServer } from './host/embedded.js'
import { sizeEmbeddedServer } from './host/sizing.js'
import { describeRunLink, linkFigures, openLinkPath, type LinkPath } from './link/path.js'
import { askedRttMs } from './link/spec.js'
import type { LinkSpec } from './link/types.js'
import { runLoad } from './load/generator.js'
import { shardOf, type Shard } from './load/partition.js'
import { workloadOf, type LoadHooks, type LoadPlan, type Workload } from './load/plan.js'
import type { Progress } from './load/progress.js'
import { explainSetupFailure } from './load/setup-failures.js'
import { measureSetup } from './load/setup-probe.js'
import { startAtInstant, wallClockMs } from './load/start-at.js'
import { runLoadOnWorkers } from './load/workers/worker-pool.js'
import type { LoadResult } from './metrics/load-result.js'
import { summarise, targetRestarted, type ServerWindow, type TransportResult } from './metrics/summarise.js'
import { openFilesLimit } from './open-files.js'
import { describeArrival } from './pacing/arrivals.js'
import { groupsOpened } from './pacing/ramps.js'
import { describeStages } from './pacing/stages.js'
import { pinProcess, workerCpus, type Placement } from './pinning.js'
import { combineRepeats } from './results/combine.js'
import type { RunReport } from './results/report.js'
import type { ServerLimits } from './server/limits.js'
import type { ServerSecurity } from './server/security.js'
import { legacySettingKeys } from './transports/legacy.js'
import { completeSettings, sendModeOf, settingsUsed } from './transports/setting-values.js'
import { sweepRows, type Sweeps } from './transports/sweeps.js'
import type { Transport, TransportSettings } from './transports/types.js'

/** A validated run: what the CLI (or a test) asks for. */
export interface RunOptions extends Workload {
  transports: readonly Transport[]
  /** Each transport's own settings by name (transports/setting.ts); a row's receivers get their transport's. */
  settings: TransportSettings
  /** Origin of a running server; undefined starts a fresh embedded server per transport. */
  target?: string
  placement?: Placement
  /** Runs per transport, each on a fresh server; the row holds their medians. Default 1. */
  repeat?: number
  /** Values of a transport's swept setting: one row per value (`short-polling@250ms`) instead of one at `settings`. */
  sweeps?: Sweeps
  /** The scenario's name, for the report. */
  scenario?: string
  /** What the embedded server is started with: TLS certificate and key, token. */
  security?: ServerSecurity
  /** The embedded server's limits; the defaults otherwise. Its connection cap is raised to fit the run's users either way. */
  limits?: ServerLimits
  /** What the generator reaches the server with: the certificate to trust, the token. */
  access?: ServerAccess
  /** Load-generator processes; 1 (the default) drives the load in this process. */
  workers?: number
  /** An emulated link between the generator and the server (--rtt, --link…); plain loopback without. */
  link?: { spec: LinkSpec; name?: string }
  /** Receivers in pages of a headless Chromium (`--clients browser`) instead of Node clients. */
  browser?: BrowserOptions
  /** This machine's share of a run spread over several (`--shard i/n`); the whole run by default. */
  shard?: Shard
  /** Epoch ms at which the schedule (warm-up first) starts, shared by every shard (`--start-at`). */
  startAt?: number
  /** Faults injected into the receivers' connections during the window (`--faults`, faults/). */
  faults?: FaultSpec
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
  const report: RunReport = { schemaVersion: 1, context: describeContext(runSettingsOf(options), new Date()), results: [] }
  if (options.placement) await pinProcess(process.pid, options.placement.generatorCpu)
  for (const row of rowsOf(options)) {
    events.onTransportStart?.(row.label)
    const runs: TransportResult[] = []
    for (let i = 0; i < (options.repeat ?? 1); i++) runs.push(await runTransport(row, options, events))
    const result = combineRepeats(runs)
    report.results.push(result)
    events.onTransportDone?.(result, report)
  }
  return report
}

/** One row of the report: a transport under one set of settings. */
interface Row {
  label: string
  transport: Transport
  settings: TransportSettings
}

function rowsOf(options: RunOptions): Row[] {
  return options.transports.flatMap((transport) =>
    sweepRows(transport, completeSettings(options.settings), options.sweeps).map((row) => ({ ...row, transport })),
  )
}

async function runTransport({ label, transport, settings: given }: Row, asked: RunOptions, events: RunEvents): Promise<TransportResult> {
  const options = overHttpVersion(asked, transport)
  const settings = settingsUsed(transport, given, { http2: options.access?.http2 === true, browser: options.browser !== undefined })
  const server = options.target === undefined ? await startEmbeddedServer(embeddedOptions(options)) : undefined
  const origin = options.target ?? server!.origin
  const sendMode = sendModeOf(transport, settings)
  // The generator's connections go through the link; the server's stats are read directly.
  let link: LinkPath | undefined
  let faults: FaultInjector | undefined
  try {
    if (options.link) link = await openLinkPath(options.link.spec, origin)
    // With --faults, receivers (never senders) reach the server through the faults' proxy, in front of the link if there is one.
    if (options.faults)
      faults = await openFaults(options.faults, {
        origin: link?.origin ?? origin,
        windowMs: options.durationMs,
        ...(server ? { server } : {}),
      })
    const stats: ServerWindow = {}
    const reads: Promise<void>[] = []
    // Before anyone connects, so memory per receiver is measured from an empty server.
    const [baseline, firstMs] = await timed(() => fetchServerStats(origin, options.access))
    // The first read also pays for a cold path: a second bounds the round trip closer.
    const [, againMs] = await timed(() => fetchServerStats(origin, options.access))
    const receiverPath = receiverPathOf(options.link?.spec, Math.min(firstMs, againMs))
    if (baseline !== undefined) stats.baseline = baseline
    const receivers = {
      receiverPath,
      ...(faults ? { receiverOrigin: faults.receiverOrigin, faultsAtMs: faults.faultsAtMs } : {}),
    }
    const plan = loadPlanOf(options, { transport, settings, origin: link?.origin ?? origin, sendMode, ...receivers })
    let windowOpenedAtMs = Number.NaN
    const load = await unlessServerDies(
      server,
      label,
      generateLoad(options, plan, {
        onWindowEdge: (edge) => {
          if (edge === 'start') {
            windowOpenedAtMs = wallClockMs()
            link?.startWindow()
          }
          reads.push(fetchServerStats(origin, options.access).then((s) => void (stats[edge] = s)))
        },
        ...(events.onProgress ? { onProgress: events.onProgress } : {}),
        ...(faults ? { onFault: faults.inject } : {}),
      }).catch((err: unknown) => explainSetupFailure(err, label, options.target)),
    )
    await unlessServerDies(server, label, Promise.all(reads))
    // A target that answered at the window's start and not at its end may be gone.
    if (options.target !== undefined && stats.start !== undefined && stats.end === undefined)
      await failIfTargetLost(options.target, options.access, label)
    const achieved = link ? linkFigures(await link.verdict()) : {}
    const shard = options.shard ? { windowOpenedAtMs } : {}
    const httpVersion = options.access?.http2 === true ? '2' : '1.1'
    const faulted = faults ? await faults.figures(load) : {}
    return {
      ...summarise(label, sendMode, load, stats),
      settings,
      ...achieved,
      ...(await measureSetup(plan)),
      httpVersion,
      ...shard,
      ...faulted,
      receiverRttMs: Math.round(receiverPath.rttMs * 100) / 100,
      ...(options.target === undefined ? {} : targetRestarted(stats)),
    }
  } catch (err) {
    // A failure against a target that no longer answers is a lost target, whatever failed first.
    if (options.target !== undefined && !isTargetLost(err)) await failIfTargetLost(options.target, options.access, label)
    throw err
  } finally {
    await faults?.close()
    await link?.close()
    await server?.stop()
  }
}

/** `work`, unless the embedded server ends on its own first: then the run fails with one line naming the row and how the server ended. */
function unlessServerDies<T>(server: EmbeddedServer | undefined, label: string, work: Promise<T>): Promise<T> {
  if (server === undefined) return work
  const deathOf = (how: string): UserError =>
    new UserError(
      `${label}: the embedded server (pid ${server.pid}) ended during the run (${how}); nothing after it was measured`,
      ExitCode.RuntimeFailure,
    )
  const death = server.died.then((how): never => {
    throw deathOf(how)
  })
  // What the death caused (a connection reset) can fail the work before the child's exit is seen: the death is the cause.
  const failed = work.catch(async (err: unknown) => {
    const how = await Promise.race([server.died, delay(deathGraceMs).then(() => undefined)])
    throw how === undefined ? err : deathOf(how)
  })
  return Promise.race([failed, death])
}

/** How long a failure waits for the embedded server's exit to be seen, in case the exit caused it. */
const deathGraceMs = 1000

/** --http2 for the transports that work over it; the others (WebSocket) get HTTP/1.1, on a server of their own. */
function overHttpVersion(options: RunOptions, transport: Transport): RunOptions {
  if (transport.capabilities.http2 === 'supported') return options
  const { security, access } = options
  return {
    ...options,
    ...(security ? { security: { ...security, http2: false } } : {}),
    ...(access ? { access: { ...access, http2: false } } : {}),
  }
}

/** What the generator is given for one row: the workload and how to reach the server, nothing of the server's own set-up. */
function loadPlanOf(
  options: RunOptions,
  row: Pick<LoadPlan, 'transport' | 'settings' | 'origin' | 'sendMode' | 'receiverOrigin' | 'faultsAtMs' | 'receiverPath'>,
): LoadPlan {
  const shard = options.shard ? { part: shardOf(groupsOpened(options), options.idleReceivers ?? 0, options.shard) } : {}
  return {
    ...workloadOf(options),
    ...row,
    ...(options.access ? { access: options.access } : {}),
    ...(options.browser ? { browser: options.browser } : {}),
    runId: randomBytes(4).toString('hex'),
    ...shard,
  }
}

/** What `work` yields, and how long it took in ms. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const startMs = performance.now()
  const value = await work()
  return [value, performance.now() - startMs]
}

/**
 * The receivers' path as the run knows it, for them to tell a dead connection from a slow one:
 * the round trip of one request straight to the server (a stats read on a fresh connection: an
 * upper bound, the handshake included) plus what the link adds, and the link's jitter.
 */
function receiverPathOf(spec: LinkSpec | undefined, measuredRttMs: number): NonNullable<LoadPlan['receiverPath']> {
  const linkRttMs = spec ? askedRttMs(spec) : 0
  return { rttMs: measuredRttMs + linkRttMs, jitterMs: spec?.jitterMs ?? 0 }
}

/** The load in this process, or spread over --workers processes (pinned beside the server with --pin). */
function generateLoad(options: RunOptions, plan: LoadPlan, given: LoadHooks): Promise<LoadResult> {
  const hooks = options.startAt === undefined ? given : { ...given, startAt: startAtInstant(options.startAt) }
  const workers = options.workers ?? 1
  if (workers <= 1) return runLoad(plan, hooks)
  return runLoadOnWorkers(plan, { count: workers, ...(options.placement ? { cpus: workerCpus(options.placement, workers) } : {}) }, hooks)
}

/** The embedded server, pinned and secured as asked, its connection cap sized for every user of the run. */
function embeddedOptions(options: RunOptions): EmbeddedOptions {
  const users = groupsOpened(options) * (1 + (options.receivers ?? 1)) + (options.idleReceivers ?? 0)
  return {
    ...(options.placement ? { cpu: options.placement.serverCpu } : {}),
    ...(options.security ? { security: options.security } : {}),
    limits: sizeEmbeddedServer(options.limits, users, openFilesLimit()),
  }
}

/** The settings that explain a run's rows, as its report records them. */
export function runSettingsOf(options: RunOptions): RunSettings {
  const settings = completeSettings(options.settings)
  return {
    pairs: options.pairs,
    ratePerSec: options.ratePerSec,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    payloadBytes: options.payloadBytes,
    ...legacySettingKeys(settings),
    transportSettings: settings,
    target: options.target ?? 'embedded',
    tls: options.target === undefined ? options.security?.tls !== undefined : options.target.startsWith('https:'),
    placement: placementOf(options),
    scenario: options.scenario ?? 'pairs',
    receiversPerGroup: options.receivers ?? 1,
    idleReceivers: options.idleReceivers ?? 0,
    arrival: describeArrival(options.arrival),
    payloadMaxBytes: options.payloadMaxBytes ?? options.payloadBytes,
    ...(options.stages?.length ? { stages: describeStages(options.stages) } : {}),
    workers: options.workers ?? 1,
    ...(options.link ? { link: describeRunLink(options.link.spec, options.link.name) } : {}),
    ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}),
    ...(options.startAt === undefined ? {} : { startAt: new Date(options.startAt).toISOString() }),
    ...(options.faults ? { faults: describeFaults(options.faults) } : {}),
  }
}

/** `server:1 generator:0`, with workers `server:3 workers:0,1,2,0`; `none` unpinned. */
function placementOf({ placement, workers = 1 }: RunOptions): string {
  if (placement === undefined) return 'none'
  if (workers <= 1) return `server:${placement.serverCpu} generator:${placement.generatorCpu}`
  return `server:${placement.serverCpu} workers:${workerCpus(placement, workers).join(',')}`
}
