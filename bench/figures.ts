/**
 * The figures transport-bench promises on a 2-core machine, measured, not asserted:
 *   1. the default `run` finishes within 60 s;
 *   2. at 100 pairs × 10 messages/s, each transport's latency, request cost and generator health
 *      (medians of several runs, server and generator pinned to separate cores when possible);
 *   3. a minimal hand-written WebSocket client against the same server in the same run, so
 *      absolute times can be read as ratios on a noisy machine.
 * Usage: npm run bench [-- --runs N]
 */
import { execFile } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runDefaults } from '../src/config.js'
import { startEmbeddedServer } from '../src/host/embedded.js'
import type { TransportResult } from '../src/metrics/summarise.js'
import { choosePlacement, pinProcess, type Placement } from '../src/pinning.js'
import { runBenchmark } from '../src/run.js'
import { transports } from '../src/transports/registry.js'
import { defaultSettings } from '../src/transports/setting-values.js'
import { interval } from '../src/transports/short-polling/settings.js'
import { measureMinimalWebsocket } from './minimal-websocket.js'

const runsArg = process.argv.indexOf('--runs')
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3
const bin = fileURLToPath(new URL('../../bin/transport-bench.js', import.meta.url))

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function timeDefaultRun(): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, 'run', '--quiet', '--no-save'], { timeout: 120_000 }, (err) => {
      if (err) reject(new Error(err.message))
      else resolve((performance.now() - started) / 1000)
    })
  })
}

function placement(): Placement | undefined {
  try {
    return cpus().length >= 2 ? choosePlacement() : undefined
  } catch {
    return undefined
  }
}

async function minimalReference(where: Placement | undefined): Promise<{ p50Ms: number; p99Ms: number }> {
  const server = await startEmbeddedServer(where ? { cpu: where.serverCpu } : {})
  try {
    return await measureMinimalWebsocket(server.origin, 100, 10, runDefaults.durationMs, runDefaults.warmupMs)
  } finally {
    await server.stop()
  }
}

function check(ok: boolean): string {
  return ok ? 'yes' : 'NO'
}

function printTransport(name: string, rows: TransportResult[], intervalMs: number): void {
  const m = (f: (r: TransportResult) => number): number => median(rows.map(f))
  const p50 = m((r) => r.latency.p50Ms)
  const p99 = m((r) => r.latency.p99Ms)
  const reqs = m((r) => r.recvRequestsPerMsg)
  const lost = rows.reduce((sum, r) => sum + r.lost + r.duplicated + r.reordered, 0)
  let target: string
  if (name === 'short-polling') {
    target = `p50 within 15% of ${intervalMs / 2} ms: ${check(Math.abs(p50 - intervalMs / 2) <= 0.15 * (intervalMs / 2))}; p99 ≤ ${intervalMs + 5} ms: ${check(p99 <= intervalMs + 5)}`
  } else {
    target = `p50 ≤ 0.1 ms: ${check(p50 <= 0.1)}; p99 ≤ 3 ms: ${check(p99 <= 3)}`
    if (name === 'long-polling') target += `; exactly 1 request/message: ${check(reqs === 1)}`
  }
  console.log(
    `${name.padEnd(14)} p50 ${p50.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms  req/msg ${reqs.toFixed(3)}  ` +
      `send lag p50/p99 ${m((r) => r.sendLagP50Us)}/${m((r) => r.sendLagP99Us)} µs  generator CPU ${m((r) => r.generatorCpuPct).toFixed(0)}%  ` +
      `server CPU ${m((r) => r.serverCpuMsPer1k ?? Number.NaN).toFixed(0)} ms/1k  lost+dup+reordered ${lost}\n${''.padEnd(15)}${target}`,
  )
}

async function main(): Promise<void> {
  console.log(`transport-bench figures: Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}, ${runs} runs each`)
  const seconds = await timeDefaultRun()
  console.log(`default run: ${seconds.toFixed(1)} s (limit 60 s: ${check(seconds <= 60)})`)

  const where = placement()
  console.log(`placement: ${where ? `server on cpu ${where.serverCpu}, generator on cpu ${where.generatorCpu}` : 'none'}`)
  const byTransport = new Map<string, TransportResult[]>()
  const minimal: { p50Ms: number; p99Ms: number }[] = []
  for (let run = 0; run < runs; run++) {
    const report = await runBenchmark({
      transports,
      pairs: 100,
      ratePerSec: 10,
      arrival: { kind: 'constant', ratePerSec: 10 },
      durationMs: runDefaults.durationMs,
      warmupMs: runDefaults.warmupMs,
      payloadBytes: runDefaults.payloadBytes,
      settings: { ...defaultSettings(), websocket: { send: 'socket' } },
      ...(where ? { placement: where } : {}),
    })
    for (const r of report.results) byTransport.set(r.transport, [...(byTransport.get(r.transport) ?? []), r])
    minimal.push(await minimalReference(where))
    if (where) await pinProcess(process.pid, where.generatorCpu)
  }
  console.log(`\n100 pairs × 10 msg/s, poll interval ${interval.default} ms, WebSocket userA on its socket; medians of ${runs} runs`)
  for (const [name, rows] of byTransport) printTransport(name, rows, interval.default)
  const minP50 = median(minimal.map((r) => r.p50Ms))
  const wsP50 = median(byTransport.get('websocket')!.map((r) => r.latency.p50Ms))
  console.log(
    `minimal hand-written WebSocket client, same server, same runs: p50 ${minP50.toFixed(3)} ms  p99 ${median(minimal.map((r) => r.p99Ms)).toFixed(3)} ms; ` +
      `transport-bench websocket p50 / minimal p50 = ${(wsP50 / minP50).toFixed(2)}`,
  )
}

await main()
