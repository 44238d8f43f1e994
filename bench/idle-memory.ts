/**
 * Server memory held by idle connections, measured, not asserted: N WebSocket receivers on a
 * fresh embedded server, then N SSE receivers on another, nobody sending. The server's resident
 * memory is read before anyone connects and again once every receiver is open and a few seconds
 * have passed; the growth per 1,000 connections is printed, median of several runs.
 *
 * RSS read right after opening may still hold the garbage the opening made, so two figures are
 * printed: "as is" (what GET /stats says, as a run reads it) and "after GC" (the same server
 * asked over IPC to collect garbage first; it is started with --expose-gc for that, which a run
 * never does). The after-GC reading is split into the V8 heap (committed, and live within it)
 * and the rest (sockets, HTTP parsers, buffers, allocator slack). RSS rarely shrinks once
 * grown, so both include the young generation V8 enlarges while thousands of connections open
 * at once: a cost of the burst, not of each connection, shared out over N.
 * Needs about N open files in this process and N in the server; the npm script raises the
 * soft limit to the hard one.
 * Usage: npm run bench:idle-memory [-- --connections 10000 --runs 3 --settle 5s]
 */
import { InvalidArgumentError } from 'commander'
import { cpus } from 'node:os'
import { durationMs, positiveInt } from '../src/cli/args.js'
import { Scheduler } from '../src/client/scheduler.js'
import { fetchServerStats } from '../src/client/server-stats.js'
import { Wire } from '../src/client/wire.js'
import { generatorCapacity, serverDefaults } from '../src/config.js'
import { UserError, messageOf } from '../src/errors.js'
import { startEmbeddedServer, type EmbeddedServer } from '../src/host/embedded.js'
import { openPopulation, type Openers } from '../src/load/population.js'
import { ErrorTally } from '../src/metrics/errors-tally.js'
import { median } from '../src/metrics/repeats.js'
import { choosePlacement, pinProcess, type Placement } from '../src/pinning.js'
import { openFilesLimit } from '../src/scenario/feasibility.js'
import { defaultLimits } from '../src/server/limits.js'
import { findTransport } from '../src/transports/registry.js'
import { defaultSettings, settingsOf } from '../src/transports/setting-values.js'
import type { ClientContext, Transport } from '../src/transports/types.js'
import { bytesToMb } from '../src/units.js'

/** What a reference implementation holds on this kind of machine, with 10,000 of each open, plus headroom. */
const targetMbPer1k: Record<string, number> = { websocket: 8, sse: 10 }

interface Settings {
  connections: number
  runs: number
  settleMs: number
}

/** One run's growth per 1,000 connections, in MiB. */
interface Growth {
  rssAsIs: number
  rssAfterGc: number
  /** V8 heap committed: live objects plus free space V8 keeps (young generation grown while opening). */
  heapTotal: number
  heapUsed: number
  external: number
  generatorLive: number
}

const flags = ['--connections', '--runs', '--settle']

function readSettings(argv: readonly string[]): Settings {
  const unknown = argv.find((arg, i) => arg.startsWith('-') && !flags.includes(arg) && !flags.includes(argv[i - 1] ?? ''))
  if (unknown !== undefined) throw new UserError(`${unknown}: unknown option (expected ${flags.join(', ')})`)
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag)
    return at < 0 ? undefined : (argv[at + 1] ?? '')
  }
  const parsed = (flag: string, parse: (text: string) => number, fallback: number): number => {
    const text = value(flag)
    if (text === undefined) return fallback
    try {
      return parse(text)
    } catch (err) {
      throw new UserError(`${flag}: ${err instanceof InvalidArgumentError ? err.message : messageOf(err)}`)
    }
  }
  return {
    connections: parsed('--connections', positiveInt, 10_000),
    runs: parsed('--runs', positiveInt, 3),
    settleMs: parsed('--settle', durationMs, 5000),
  }
}

/** Every receiver is a socket here and one in the server (which has the same limit). */
function checkOpenFiles(connections: number): void {
  const limit = openFilesLimit()
  const needed = connections + generatorCapacity.spareFiles
  if (limit !== undefined && needed > limit) {
    throw new UserError(
      `--connections ${connections}: needs about ${needed.toLocaleString('en-US')} open files but this process may open ${limit.toLocaleString('en-US')}; ` +
        `raise the limit (ulimit -n ${Math.ceil(needed / 1000) * 1000}) or lower --connections`,
    )
  }
}

function placement(): Placement | undefined {
  try {
    return cpus().length >= 2 ? choosePlacement() : undefined
  } catch {
    return undefined
  }
}

/**
 * The generator's live memory (heap and external), after a collection when this process has
 * --expose-gc (the npm script gives it). Not its RSS: the process is reused from run to run and
 * refills pages earlier runs freed, so its RSS growth says little.
 */
function generatorLive(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
}

async function serverRss(server: EmbeddedServer): Promise<number> {
  const stats = await fetchServerStats(server.origin)
  if (stats === undefined) throw new Error('GET /stats did not answer')
  return stats.rssBytes
}

/** A client context as the generator builds one, for an idle receiver: nobody sends to it. */
/** Idle receivers only: nobody sends, and no receiver joins a room. */
function idleOpeners(transport: Transport, origin: string, runId: string, errors: ErrorTally, scheduler: Scheduler): Openers {
  const idOf = (name: string): string => `${runId}-${name}`
  const wire = new Wire()
  const context = (name: string): ClientContext => ({
    origin,
    user: idOf(name),
    wire,
    onError: errors.add,
    scheduler,
    now: () => scheduler.clock.now(),
    settings: settingsOf(transport, defaultSettings()),
  })
  return {
    idOf,
    receiver: (name, deliver) => transport.openReceiver(context(name), deliver),
    sender: () => Promise.reject(new Error('an idle-memory run has no senders')),
    server: { origin },
  }
}

async function measureOnce(transport: Transport, settings: Settings, run: number, where: Placement | undefined): Promise<Growth> {
  const limits = {
    ...defaultLimits,
    maxConnections: Math.max(serverDefaults.maxConnections, settings.connections + generatorCapacity.spareFiles),
  }
  const server = await startEmbeddedServer({ limits, exposeGc: true, ...(where ? { cpu: where.serverCpu } : {}) })
  const scheduler = new Scheduler()
  const errors = new ErrorTally()
  try {
    const before = { rss: await serverRss(server), collected: await server.memory(true), generator: generatorLive() }
    const openers = idleOpeners(transport, server.origin, `idle${run}`, errors, scheduler)
    const shape = { groups: 0, receiversPerGroup: 1, idleReceivers: settings.connections }
    const onIdleData = (): void => errors.add(new Error('an idle receiver got a message'))
    const population = await openPopulation(shape, openers, { onData: () => onIdleData, onIdleData })
    try {
      await new Promise((resolve) => setTimeout(resolve, settings.settleMs))
      const after = { rss: await serverRss(server), collected: await server.memory(true), generator: generatorLive() }
      if (errors.count > 0) throw new Error(`${errors.count} receivers failed while idle, first: ${errors.first}`)
      const per1k = (bytes: number): number => (bytesToMb(bytes) / settings.connections) * 1000
      const growth = (pick: (u: NodeJS.MemoryUsage) => number): number => per1k(pick(after.collected.usage) - pick(before.collected.usage))
      return {
        rssAsIs: per1k(after.rss - before.rss),
        rssAfterGc: growth((u) => u.rss),
        heapTotal: growth((u) => u.heapTotal),
        heapUsed: growth((u) => u.heapUsed),
        external: growth((u) => u.external),
        generatorLive: per1k(after.generator - before.generator),
      }
    } finally {
      await population.close()
    }
  } finally {
    scheduler.stop()
    await server.stop()
  }
}

function medianGrowth(runs: readonly Growth[]): Growth {
  const m = (pick: (g: Growth) => number): number => median(runs.map(pick))
  return {
    rssAsIs: m((g) => g.rssAsIs),
    rssAfterGc: m((g) => g.rssAfterGc),
    heapTotal: m((g) => g.heapTotal),
    heapUsed: m((g) => g.heapUsed),
    external: m((g) => g.external),
    generatorLive: m((g) => g.generatorLive),
  }
}

function line(transport: string, g: Growth): string {
  const target = targetMbPer1k[transport]
  const verdict = target === undefined ? '' : `  target ≤ ${target}: ${g.rssAfterGc <= target ? 'met' : 'NOT met'}`
  const f = (n: number): string => n.toFixed(2).padStart(6)
  return (
    `${transport.padEnd(10)} server RSS ${f(g.rssAsIs)} as is, ${f(g.rssAfterGc)} after GC ` +
    `= V8 heap ${f(g.heapTotal)} (live ${f(g.heapUsed)}) + the rest ${f(g.rssAfterGc - g.heapTotal)} (of which external ${f(g.external)}); ` +
    `generator heap+external ${f(g.generatorLive)}${verdict}`
  )
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2))
  checkOpenFiles(settings.connections)
  const where = placement()
  if (where) await pinProcess(process.pid, where.generatorCpu)
  const rows: string[] = []
  for (const name of ['websocket', 'sse']) {
    const transport = findTransport(name)!
    const runs: Growth[] = []
    for (let run = 0; run < settings.runs; run++) {
      runs.push(await measureOnce(transport, settings, run, where))
      process.stderr.write(`${name} run ${run + 1}/${settings.runs}: ${line(name, runs[run]!)}\n`)
    }
    rows.push(line(name, medianGrowth(runs)))
  }
  const pinned = where ? `server pinned to cpu ${where.serverCpu}, generator to cpu ${where.generatorCpu}` : 'unpinned'
  const generatorGc = (globalThis as { gc?: unknown }).gc === undefined ? 'garbage included (no --expose-gc)' : 'after a collection'
  process.stdout.write(
    `idle memory: ${settings.connections.toLocaleString('en-US')} idle receivers per transport, each on a fresh server, read ${settings.settleMs / 1000} s after the last opened; ` +
      `MiB grown over the empty server per 1,000 connections, each figure the median of ${settings.runs} runs; ${pinned}\n` +
      `"as is": GET /stats rssBytes, as a run reads it; "after GC": process.memoryUsage() in the server after a full collection (started with --expose-gc), the target is checked on its rss; ` +
      `generator: this process's heap and external memory, ${generatorGc}\n`,
  )
  for (const row of rows) process.stdout.write(`${row}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`idle-memory: ${messageOf(err)}\n`)
  process.exitCode = err instanceof UserError ? err.exitCode : 1
})
