/**
 * What each transport does under faults injected into its receivers' connections, measured
 * through `run`'s own pipeline (runBenchmark with --faults), each beside what theory predicts:
 *   1. drop-every=2s: every receiver connection reset every 2 s. Lost must be 0 (durable
 *      delivery: cursors, Last-Event-ID, WebSocket re-subscribe); recovery p50 against each
 *      client's reconnect delay plus about one round trip;
 *   2. stall=3s once (half-open: nothing forwarded, nothing closed) with a short --heartbeat:
 *      SSE and WebSocket notice the silence within their watchdog's 2–3 heartbeats and reconnect;
 *      polls have no client-side timeout that short, so they come back when the stall ends;
 *   3. restart: the embedded server restarted mid-window on the same port; messages it held and
 *      those sent while it was down are lost (the mailbox is in memory), the row is faulted.
 * Usage: npm run bench:faults [-- --pairs 100 --rate 10 --seconds 20 --heartbeat-ms 500 --pin]
 */
import { parseFaults } from '../src/faults/spec.js'
import type { TransportResult } from '../src/metrics/summarise.js'
import { runBenchmark, type RunOptions } from '../src/run.js'
import { toRunOptions } from '../src/scenario/options.js'
import { defaultScenario } from '../src/scenario/scenario.js'
import { defaultLimits } from '../src/server/limits.js'
import { benchPlacement, numberFlag } from './flags.js'

const pairs = Math.round(numberFlag('pairs', 100))
const rate = numberFlag('rate', 10)
const seconds = numberFlag('seconds', 20)
const heartbeatMs = numberFlag('heartbeat-ms', 500)
const placement = process.argv.includes('--pin') ? benchPlacement() : undefined
const pollMs = 100
/** The clients' reconnect delays: SSE's `retry:` (the server sends 1000), WebSocket's re-subscribe, a failed long poll's pause. */
const sseRetryMs = 1000
const wsResubscribeMs = 1000
const longPollPauseMs = 100

function options(faults: string, more: Partial<RunOptions> = {}): RunOptions {
  const s = defaultScenario()
  return {
    ...toRunOptions({ ...s, groups: pairs, arrival: { kind: 'constant', ratePerSec: rate }, durationMs: seconds * 1000, warmupMs: 2000 }),
    settings: { 'short-polling': { interval: pollMs } },
    faults: parseFaults(faults),
    ...(placement ? { placement } : {}),
    ...more,
  }
}

const ms = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a')

function line(r: TransportResult, theory: string): string {
  const flags = [r.faulted ? 'faulted' : '', r.generatorLimited ? 'generator-limited' : ''].filter(Boolean).join(', ')
  return (
    `   ${r.transport.padEnd(14)} lost ${r.lost}/${r.sent}, dup ${r.duplicated}, reord ${r.reordered}; ${r.faultsInjected} faults, ${r.reconnects ?? 0} reconnects; ` +
    `recovery p50 ${ms(r.recoveryP50Ms)}, max ${ms(r.recoveryMaxMs)}; late ${r.lateAfterFault}; p50 ${ms(r.latency.p50Ms)}, p99 ${ms(r.latency.p99Ms)}; ` +
    `send err ${r.sendErrors}, recv err ${r.receiveErrors}; [${flags}]\n      theory: ${theory}`
  )
}

async function drops(): Promise<void> {
  console.log(`\n1. --faults drop-every=2s: ${pairs} pairs × ${rate} msg/s, ${seconds}s measured`)
  const theory: Record<string, string> = {
    'short-polling': `lost 0; recovery ≈ the next message (≤ ${1000 / rate} ms) then the next poll (≤ ${pollMs} ms): median ≈ ${(1000 / rate + pollMs) / 2} ms`,
    'long-polling': `lost 0; recovery ≈ the failed poll's ${longPollPauseMs} ms pause + 1 RTT, a message being due in it at ${rate}/s: ≈ ${longPollPauseMs} ms`,
    sse: `lost 0; recovery = the retry: delay ${sseRetryMs} ms + ~1 RTT (GET with Last-Event-ID, backlog first): ≈ ${sseRetryMs} ms`,
    websocket: `lost 0; recovery = re-subscribe delay ${wsResubscribeMs} ms + ~2 RTT (TCP, upgrade; backlog with the 101): ≈ ${wsResubscribeMs} ms`,
  }
  const report = await runBenchmark(options('drop-every=2s'))
  for (const r of report.results) console.log(line(r, theory[r.transport] ?? 'no theory'))
}

async function stall(): Promise<void> {
  console.log(
    `\n2. --faults stall=3s (once, mid-window), --heartbeat ${heartbeatMs}ms: ${pairs} pairs × ${rate} msg/s, ${seconds}s measured`,
  )
  // The clients' watchdog runs every heartbeat h and cuts a stream silent for more than 2h: 2h–3h after its last byte.
  const detect = `${2 * heartbeatMs}–${3 * heartbeatMs} ms`
  const theory: Record<string, string> = {
    'short-polling': `lost 0; no client poll timeout under 30 s (undici's headers timeout), ticks skipped while a poll is out: back when the stall ends, ≈ 3000 ms`,
    'long-polling': `lost 0; the parked poll's answer waits in the stalled path, no client timeout under hold + 30 s: back when the stall ends, ≈ 3000 ms`,
    sse: `lost 0; silence seen after ${detect}, + retry ${sseRetryMs} ms + ~1 RTT: ${2 * heartbeatMs + sseRetryMs}–${3 * heartbeatMs + sseRetryMs} ms (below the 3000 ms stall)`,
    websocket: `lost 0; silence seen after ${detect}, + re-subscribe ${wsResubscribeMs} ms + ~2 RTT: ${2 * heartbeatMs + wsResubscribeMs}–${3 * heartbeatMs + wsResubscribeMs} ms`,
  }
  const report = await runBenchmark(options('stall=3s', { limits: { ...defaultLimits, heartbeatMs } }))
  for (const r of report.results) console.log(line(r, theory[r.transport] ?? 'no theory'))
}

/** How each client retries while the server is down: the step its recovery is a multiple of. */
const retryStep: Record<string, string> = {
  'short-polling': `its poll ticks (every ${pollMs} ms)`,
  'long-polling': `${longPollPauseMs} ms pauses between failed polls`,
  sse: `${sseRetryMs} ms retry: steps`,
  websocket: `${wsResubscribeMs} ms re-subscribe steps`,
}

async function restart(): Promise<void> {
  console.log(`\n3. --faults restart (the embedded server, mid-window, same port): ${pairs} pairs × ${rate} msg/s, ${seconds}s measured`)
  const report = await runBenchmark(options('restart'))
  for (const r of report.results) {
    // Every POST refused while no server listened is a send error and a lost message: its downtime is what they span.
    const downMs = (1000 * r.sendErrors) / (pairs * rate)
    const held =
      r.transport === 'short-polling'
        ? ` + what the mailboxes held between polls (≈ ${pairs} × ${rate}/s × ${pollMs / 2} ms = ${(pairs * rate * pollMs) / 2000})`
        : ' + the few messages in flight (delivered within ms, so mailboxes hold almost nothing)'
    const cpu = r.serverCpuMsPer1k === null ? 'server CPU/memory left unknown (two processes)' : 'server CPU known?!'
    console.log(
      line(
        r,
        `lost ≈ messages due while no server listened (${r.sendErrors} POSTs refused ≈ ${downMs.toFixed(0)} ms down)${held}; ` +
          `recovery ≈ ${retryStep[r.transport] ?? 'the client’s retries'} past the downtime${r.transport === 'sse' ? ', then one more for the 409 (stale Last-Event-ID)' : ''}; row faulted; ${cpu}`,
      ),
    )
  }
}

console.log(
  `bench:faults — Node ${process.version}; ${placement ? `server on cpu ${placement.serverCpu}, generator on cpu ${placement.generatorCpu}` : 'unpinned'}, on whatever else the machine runs; ` +
    `only receivers' connections are faulted (senders' POSTs are the publisher); short polls every ${pollMs} ms`,
)
await drops()
await stall()
await restart()
