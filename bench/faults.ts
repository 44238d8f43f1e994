/**
 * What each transport does under faults injected into its receivers' connections, measured
 * through `run`'s own pipeline (runBenchmark with --faults), each beside what theory predicts:
 *   1. drop-every=2s: every receiver connection reset every 2 s. Lost must be 0 (durable
 *      delivery: cursors, Last-Event-ID, WebSocket re-subscribe); recovery p50 against each
 *      client's reconnect delay plus about one round trip;
 *   2. stall=3s once (half-open: nothing forwarded, nothing closed) with a short --heartbeat
 *      (and the long polls' hold set to it), on loopback and at a 50 ms RTT: every receiver finds
 *      its connection silent within its beat (+ one RTT for polls) + a margin, drops it and
 *      reconnects, losing nothing; detection is printed beside that bound;
 *   3. restart: the embedded server restarted mid-window on the same port; messages it held and
 *      those sent while it was down are lost (the mailbox is in memory), the row is faulted.
 * Usage: npm run bench:faults [-- --pairs 100 --rate 10 --seconds 20 --heartbeat-ms 500 --pin --only drops,stall,restart]
 */
import { minMarginMs } from '../src/client/silence.js'
import { parseFaults } from '../src/faults/spec.js'
import { linkSpecFrom } from '../src/link/spec.js'
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

const round1 = (v: number): number => Math.round(v * 10) / 10
/** A Node timer fires a ms or so after it is due, and the last bytes forwarded before a stall land just after it. */
const timerToleranceMs = 2

/**
 * Theory of a stall, per transport: the silence bound after which its receivers drop the dead
 * connection (client/silence.ts: beat + round trip for polls + margin), and the recovery that
 * follows (detection, then the client's reconnect delay and a round trip or two).
 */
function stallTheory(transport: string, toldRttMs: number): { boundMs: number; text: string } {
  const margin = (beatMs: number): number => Math.max(minMarginMs, beatMs / 10)
  const gapMs = Math.min(1000 / rate, heartbeatMs)
  // The round trip the receivers were told (receiver_rtt_ms): the link's plus a stats read's (a few ms on loopback).
  const rtt = `RTT ${toldRttMs.toFixed(1)}`
  switch (transport) {
    case 'short-polling': {
      const boundMs = round1(pollMs + toldRttMs + margin(pollMs))
      return {
        boundMs,
        text: `found ≤ P ${pollMs} + ${rtt} + margin ${margin(pollMs)} = ${boundMs} ms (the next poll goes unanswered); recovery ≈ found + the next tick (≤ ${pollMs} ms) + 1 RTT`,
      }
    }
    case 'long-polling': {
      const boundMs = round1(heartbeatMs + toldRttMs + margin(heartbeatMs))
      return {
        boundMs,
        text: `found ≤ hold ${heartbeatMs} + ${rtt} + margin ${margin(heartbeatMs)} = ${boundMs} ms (the parked poll's empty answer never comes), ≈ ${round1(boundMs - gapMs / 2)} at p50; recovery ≈ found + ${longPollPauseMs} ms pause + 1 RTT`,
      }
    }
    default: {
      const boundMs = heartbeatMs + margin(heartbeatMs)
      const retry = transport === 'sse' ? `retry ${sseRetryMs} ms + 1 RTT` : `re-subscribe ${wsResubscribeMs} ms + 2 RTT`
      return {
        boundMs,
        text: `found ≤ heartbeat ${heartbeatMs} + margin ${margin(heartbeatMs)} = ${boundMs} ms (no RTT: beats arrive a beat apart), ≈ ${boundMs - gapMs / 2} at p50 (last byte ≤ ${gapMs} ms before); recovery ≈ found + ${retry}`,
      }
    }
  }
}

async function stall(rttMs: number): Promise<void> {
  const path = rttMs > 0 ? `, --rtt ${rttMs}ms` : ', loopback'
  console.log(
    `\n2. --faults stall=3s (once, mid-window), --heartbeat ${heartbeatMs}ms, --long-poll-timeout ${heartbeatMs}ms${path}: ` +
      `${pairs} pairs × ${rate} msg/s, ${seconds}s measured`,
  )
  const spec = linkSpecFrom({ rtt: `${rttMs}ms` })
  const link = rttMs > 0 && spec ? { link: { spec } } : {}
  const report = await runBenchmark(
    options('stall=3s', {
      limits: { ...defaultLimits, heartbeatMs },
      settings: { 'short-polling': { interval: pollMs }, 'long-polling': { hold: heartbeatMs } },
      ...link,
    }),
  )
  for (const r of report.results) {
    const theory = stallTheory(r.transport, r.receiverRttMs ?? rttMs)
    const within =
      Number.isFinite(r.detectMaxMs) && r.detectMaxMs! <= theory.boundMs + timerToleranceMs
        ? `within the bound (+${timerToleranceMs} ms: the watchdog's timer fires late, bytes past the proxy at the stall still arrive)`
        : 'NOT within the bound'
    console.log(line(r, theory.text))
    console.log(
      `      found silent: p50 ${ms(r.detectP50Ms)}, max ${ms(r.detectMaxMs)} (${r.silentDrops ?? 0} connections dropped for silence, ${pairs} stalled): ${within}`,
    )
  }
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
// --only drops,stall,restart runs those sections alone (default: all).
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : ['drops', 'stall', 'restart']
if (only.includes('drops')) await drops()
if (only.includes('stall')) {
  await stall(0)
  await stall(50)
}
if (only.includes('restart')) await restart()
