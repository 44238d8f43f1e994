/**
 * The figures an emulated link should give, measured through `run`'s own pipeline
 * (runBenchmark), each beside what theory predicts:
 *   1. 20 pairs × 40 msg/s at rtt 50 ms (two messages in flight per sender per round trip), every
 *      transport: p50 against one-way up + down (short polling: RTT + P/2), lost, flags;
 *   2. the shipped `burst` scenario at rtt 50 ms: p50 against theory, and the generator's own
 *      send lag (to the socket) and queued sends, which must explain any excess;
 *   3. set-up at rtt 50 ms, per transport, over plain TCP and over TLS: connect → first answer
 *      against 2 round trips (3 with TLS 1.3), and its bytes;
 *   4. the emulator's own cost at rtt 0: websocket p50 direct and through the link, alternating,
 *      median of --runs runs (bench:link-cost has the link's cost measured at the socket).
 * Usage: npm run bench:link [-- --seconds 5 --runs 3]
 */
import { embeddedAccess } from '../src/cli/security-options.js'
import type { LinkSpec } from '../src/link/types.js'
import { median } from '../src/metrics/repeats.js'
import type { TransportResult } from '../src/metrics/summarise.js'
import { runBenchmark, type RunOptions } from '../src/run.js'
import { loadScenario } from '../src/scenario/load.js'
import { toRunOptions } from '../src/scenario/options.js'
import { defaultScenario } from '../src/scenario/scenario.js'
import { generateLocalCertificate } from '../src/tls/certificate.js'
import { transportsNamed } from '../src/transports/setting-values.js'
import { numberFlag } from './flags.js'

const seconds = numberFlag('seconds', 5)
const runs = Math.round(numberFlag('runs', 3))
const rttMs = 50
const pollMs = 100

const linkOf = (rtt: number): { spec: LinkSpec } => ({
  spec: { delayUpMs: rtt / 2, delayDownMs: rtt / 2, jitterMs: 0, bandwidthUpBitsPerSec: undefined, bandwidthDownBitsPerSec: undefined },
})

/** p50 theory at this RTT: one-way up + down, short polling + P/2 (long polling: + up to one RTT in the re-poll gap). */
function theoryMs(transport: string, rtt: number): number {
  return transport.startsWith('short-polling') ? rtt + pollMs / 2 : rtt
}

function pairs(count: number, ratePerSec: number, more: Partial<RunOptions> = {}): RunOptions {
  const s = defaultScenario()
  return {
    ...toRunOptions({ ...s, groups: count, arrival: { kind: 'constant', ratePerSec }, durationMs: seconds * 1000, warmupMs: 1000 }),
    settings: { 'short-polling': { interval: pollMs } },
    ...more,
  }
}

const f = (ms: number): string => ms.toFixed(3)
const off = (measured: number, theory: number): string =>
  `${measured >= theory ? '+' : ''}${((100 * (measured - theory)) / theory).toFixed(1)}%`

function flags(r: TransportResult): string {
  const list = [r.generatorLimited ? 'generator-limited' : '', r.linkOff ? 'link off' : ''].filter(Boolean)
  return list.length === 0 ? 'no flag' : list.join(', ')
}

async function inFlight(): Promise<void> {
  console.log(`\n1. 20 pairs × 40 msg/s at rtt ${rttMs} ms (2 in flight per sender per round trip), ${seconds}s measured`)
  const report = await runBenchmark(pairs(20, 40, { link: linkOf(rttMs) }))
  for (const r of report.results) {
    const theory = theoryMs(r.transport, rttMs)
    console.log(
      `   ${r.transport.padEnd(14)} p50 ${f(r.latency.p50Ms)} ms, theory ${theory} ms (${off(r.latency.p50Ms, theory)}); p99 ${f(r.latency.p99Ms)} ms; ` +
        `lost ${r.lost}; send lag p99 ${r.sendLagP99Us} µs, ${r.sendsQueued ?? 0} queued; achieved rtt p50 ${f(r.achievedRttP50Ms!)} ms; ${flags(r)}`,
    )
  }
}

async function burst(): Promise<void> {
  const s = loadScenario('burst')
  console.log(`\n2. scenario burst (${s.description.split(' — ')[0]}) at rtt ${rttMs} ms`)
  const report = await runBenchmark({ ...toRunOptions(s), settings: { 'short-polling': { interval: pollMs } }, link: linkOf(rttMs) })
  for (const r of report.results) {
    const theory = theoryMs(r.transport, rttMs)
    console.log(
      `   ${r.transport.padEnd(14)} p50 ${f(r.latency.p50Ms)} ms, theory ${theory} ms` +
        `${r.transport === 'long-polling' ? ` (up to ${2 * rttMs} in the re-poll gap)` : ''}, excess ${f(r.latency.p50Ms - theory)} ms; ` +
        `p99 ${f(r.latency.p99Ms)} ms; lost ${r.lost}; send lag p50 ${r.sendLagP50Us} / p99 ${r.sendLagP99Us} µs, ${r.sendsQueued ?? 0} queued; ` +
        `req/msg ${r.recvRequestsPerMsg.toFixed(2)}; ${flags(r)}`,
    )
  }
}

async function setup(): Promise<void> {
  console.log(`\n3. set-up at rtt ${rttMs} ms: connect → first answer (101, SSE headers, first poll answered), median of 3 receivers`)
  const tls = await generateLocalCertificate()
  const plain = await runBenchmark(pairs(2, 2, { durationMs: 1000, link: linkOf(rttMs) }))
  const secure = await runBenchmark(
    pairs(2, 2, { durationMs: 1000, link: linkOf(rttMs), security: { tls }, access: embeddedAccess({ tls }) }),
  )
  for (const [i, r] of plain.results.entries()) {
    const t = secure.results[i]!
    console.log(
      `   ${r.transport.padEnd(14)} tcp ${f(r.setupP50Ms!)} ms = ${(r.setupP50Ms! / rttMs).toFixed(2)} RTT (theory 2: handshake + request), ${r.setupBytes} B; ` +
        `tls ${f(t.setupP50Ms!)} ms = ${(t.setupP50Ms! / rttMs).toFixed(2)} RTT (theory 3), ${t.setupBytes} B`,
    )
  }
}

async function emulatorCost(): Promise<void> {
  console.log(`\n4. the emulator's own cost at rtt 0: websocket, 20 pairs × 10 msg/s, p50 direct and through the link, median of ${runs}`)
  const direct: number[] = []
  const linked: number[] = []
  const ws = transportsNamed(['websocket'])
  for (let i = 0; i < runs; i++) {
    direct.push((await runBenchmark(pairs(20, 10, { transports: ws, durationMs: 3000 }))).results[0]!.latency.p50Ms)
    linked.push((await runBenchmark(pairs(20, 10, { transports: ws, durationMs: 3000, link: linkOf(0) }))).results[0]!.latency.p50Ms)
  }
  const added = median(linked) - median(direct)
  console.log(
    `   direct p50 ${f(median(direct))} ms (${direct.map(f).join(', ')}); through the link ${f(median(linked))} ms (${linked.map(f).join(', ')}); ` +
      `added ${f(added)} ms (target ≤ 0.050)`,
  )
}

console.log(`bench:link — Node ${process.version}; unpinned, on whatever else the machine runs`)
await inFlight()
await burst()
await setup()
await emulatorCost()
