/**
 * Can one generator and one server hold thousands of connections without losing a message,
 * and what does each connection cost in memory? Each transport at its own size, through
 * runBenchmark, at modest rates (the question is holding connections, not throughput):
 *   websocket      10,000 pairs, 0.2 msg/s each (2,000 msg/s), userA POSTs
 *   sse            10,000 pairs, 0.2 msg/s each (2,000 msg/s)
 *   long-polling    2,000 pairs, 1 msg/s each
 *   short-polling   1,000 pairs, 1 msg/s each, polling once a second
 * A pair is two of the generator's sockets (userA's and userB's), and two of the server's.
 * Each transport runs in a fresh process of its own, so the generator's memory per connection
 * is not flattered by memory an earlier transport freed and the process kept.
 * `--scale 0.1` multiplies every count (quick checks); `--only sse` runs one transport;
 * `--seconds 20` is the measured window, after `--warmup 5` seconds. The open-files limit and
 * the loopback port range are checked first: too low, the script stops with the fix.
 * Usage: npm run bench:scale [-- --scale 0.1 --only websocket --seconds 20 --warmup 5]
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generatorCapacity, runDefaults, serverDefaults } from '../src/config.js'
import type { TransportResult } from '../src/metrics/summarise.js'
import { runBenchmark } from '../src/run.js'
import { openFilesLimit } from '../src/scenario/feasibility.js'
import { transports } from '../src/transports/registry.js'
import { defaultSettings } from '../src/transports/setting-values.js'
import { interval } from '../src/transports/short-polling/settings.js'
import type { Transport } from '../src/transports/types.js'
import { formatMs } from '../src/units.js'
import { benchPlacement, numberFlag } from './flags.js'

interface Plan {
  transport: Transport
  pairs: number
  ratePerSec: number
  pollIntervalMs: number
}

const sizes: Record<string, { pairs: number; ratePerSec: number; pollIntervalMs?: number }> = {
  websocket: { pairs: 10_000, ratePerSec: 0.2 },
  sse: { pairs: 10_000, ratePerSec: 0.2 },
  'long-polling': { pairs: 2_000, ratePerSec: 1 },
  'short-polling': { pairs: 1_000, ratePerSec: 1, pollIntervalMs: 1000 },
}
/** The server's connection cap, raised above the run's sockets by this much (stats reads, stragglers). */
const connectionHeadroom = 100

const scale = numberFlag('scale', 1)
const seconds = numberFlag('seconds', 20)
/** Excluded time after every user is connected: JIT warm-up, first allocations. */
const warmupMs = numberFlag('warmup', 5) * 1000
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined
/** Set on the per-transport processes this script starts: print the row alone. */
const rowOnly = process.argv.includes('--row-only')

function plans(): Plan[] {
  const chosen = transports.filter((t) => only === undefined || t.name === only)
  if (chosen.length === 0) stop(`--only ${only ?? ''}: expected one of ${Object.keys(sizes).join(', ')}`)
  return chosen.map((transport) => {
    const size = sizes[transport.name]!
    return {
      transport,
      pairs: Math.max(1, Math.round(size.pairs * scale)),
      ratePerSec: size.ratePerSec,
      pollIntervalMs: size.pollIntervalMs ?? interval.default,
    }
  })
}

function stop(message: string): never {
  process.stderr.write(`bench:scale: ${message}\n`)
  process.exit(2)
}

/** The hard limit on open files: how far `ulimit -n` may go without root. */
function hardFilesLimit(): number | undefined {
  try {
    const match = /^Max open files\s+\S+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/** Ephemeral ports per source address (Linux); each generator socket to 127.0.0.1 takes one. */
function ephemeralPorts(): number | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return low !== undefined && high !== undefined ? high - low + 1 : undefined
  } catch {
    return undefined
  }
}

/** Stops before anything starts when the largest run cannot fit: one line, with the fix. */
function checkRoom(all: readonly Plan[]): void {
  const biggest = all.reduce((a, b) => (b.pairs > a.pairs ? b : a))
  const sockets = 2 * biggest.pairs
  // The server is a child with the same limit and as many sockets; the generator also holds its own files.
  const files = sockets + generatorCapacity.spareFiles
  const soft = openFilesLimit()
  if (soft !== undefined && files > soft) {
    const hard = hardFilesLimit()
    const want = Math.ceil(files / 1000) * 1000
    const fix =
      hard !== undefined && want > hard
        ? `raise the hard limit to ${want} as root (limits.conf, or docker --ulimit nofile=${want})`
        : `run with ulimit -n ${want}`
    stop(
      `${biggest.transport.name} at ${biggest.pairs} pairs needs about ${files} open files, this process may open ${soft}; ${fix}, or use --scale ${(Math.floor((100 * (soft - generatorCapacity.spareFiles)) / sockets) / 100).toFixed(2)}`,
    )
  }
  const ports = ephemeralPorts()
  if (ports !== undefined && sockets > ports) {
    stop(
      `${biggest.transport.name} needs ${sockets} loopback ports, the ephemeral range has ${ports}; widen it (sysctl -w net.ipv4.ip_local_port_range="1024 65535") or lower --scale`,
    )
  }
}

function mb(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(1)
}

function line(plan: Plan, r: TransportResult): string {
  const clean = r.lost === 0 && r.duplicated === 0 && r.reordered === 0 && r.delivered === r.sent && r.sent > 0
  return (
    `${r.transport.padEnd(14)} ${String(r.receivers).padStart(6)} receivers @ ${plan.ratePerSec}/s  ${r.delivered}/${r.sent} delivered  ` +
    `lost ${r.lost} dup ${r.duplicated} reord ${r.reordered} (${clean ? 'no loss' : 'LOSS'})  p50/p99 ${formatMs(r.latency.p50Ms)}/${formatMs(r.latency.p99Ms)} ms  ` +
    `server ${mb(r.serverRssMbPer1kConnections)} MB/1k conns  generator ${mb(r.generatorRssMbPer1kConnections)} MB/1k conns  ` +
    `errors ${r.sendErrors + r.receiveErrors}${r.generatorLimited ? '  generator-limited' : ''}${r.firstError !== null ? `  first error: ${r.firstError}` : ''}`
  )
}

/** Runs one transport here and returns its row. */
async function runPlan(plan: Plan, where: ReturnType<typeof benchPlacement>): Promise<string> {
  const report = await runBenchmark({
    transports: [plan.transport],
    pairs: plan.pairs,
    ratePerSec: plan.ratePerSec,
    arrival: { kind: 'constant', ratePerSec: plan.ratePerSec },
    durationMs: seconds * 1000,
    warmupMs,
    payloadBytes: runDefaults.payloadBytes,
    settings: { ...defaultSettings(), 'short-polling': { interval: plan.pollIntervalMs } },
    limits: { ...serverDefaults, maxConnections: Math.max(serverDefaults.maxConnections, 2 * plan.pairs + connectionHeadroom) },
    scenario: 'scale',
    ...(where ? { placement: where } : {}),
  })
  return line(plan, report.results[0]!)
}

/** Runs one transport in a fresh process (this script with --only); its row goes to stdout. */
async function runInChild(plan: Plan): Promise<void> {
  const script = fileURLToPath(import.meta.url)
  const args = [
    script,
    '--only',
    plan.transport.name,
    '--scale',
    String(scale),
    '--seconds',
    String(seconds),
    '--warmup',
    String(warmupMs / 1000),
    '--row-only',
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  if (code !== 0) process.stdout.write(`${plan.transport.name.padEnd(14)} FAILED (exit ${code})\n`)
}

const all = plans()
checkRoom(all)
const where = benchPlacement()
if (!rowOnly) {
  process.stdout.write(
    `scale ×${scale}: ${seconds} s measured after ${warmupMs / 1000} s warm-up per transport, each in a fresh process; open-files limit ${openFilesLimit() ?? 'unknown'}; ` +
      `${where ? `server on cpu ${where.serverCpu}, generator on cpu ${where.generatorCpu}` : 'unpinned'}\n`,
  )
}
if (all.length === 1) process.stdout.write(`${await runPlan(all[0]!, where)}\n`)
else for (const plan of all) await runInChild(plan)
