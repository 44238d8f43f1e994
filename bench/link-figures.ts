/**
 * The figures an emulated link should give, measured through `run`'s own pipeline
 * (runBenchmark), each beside what theory predicts:
 *   1. 20 pairs × 40 msg/s at rtt 50 ms (two messages in flight per sender per round trip), every
 *      transport: p50 against one-way up + down (short polling: RTT + P/2; long polling: + RTT/2,
 *      every message lands in the re-poll gap), lost, flags; then long polling alone at
 *      --long-poll-depth 1, 2 and 3, median of --runs runs, each against its theory (theory.ts);
 *   2. the shipped `burst` scenario at rtt 50 ms: p50 against theory, and the generator's own
 *      send lag (to the socket) and queued sends, which must explain any excess; long polling
 *      again at depth 2;
 *   3. set-up at rtt 50 ms, per transport, over plain TCP and over TLS: connect → first answer
 *      against 2 round trips (3 with TLS 1.3), and its bytes;
 *   4. the emulator's own cost at rtt 0: websocket p50 direct and through the link, alternating,
 *      median of --runs runs (bench:link-cost has the link's cost measured at the socket).
 * Usage: npm run bench:link [-- --seconds 5 --runs 3 --pin]
 *   --pin: server and generator on separate cores (as `run --pin`), when the machine has two.
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
import { expectedP50Ms } from '../src/transports/long-polling/theory.js'
import { transportsNamed } from '../src/transports/setting-values.js'
import { benchPlacement, numberFlag } from './flags.js'

const seconds = numberFlag('seconds', 5)
const runs = Math.round(numberFlag('runs', 3))
const rttMs = 50
const pollMs = 100
const placement = process.argv.includes('--pin') ? benchPlacement() : undefined
const where = placement ? { placement } : {}

const linkOf = (rtt: number): { spec: LinkSpec } => ({
  spec: { delayUpMs: rtt / 2, delayDownMs: rtt / 2, jitterMs: 0, bandwidthUpBitsPerSec: undefined, bandwidthDownBitsPerSec: undefined },
})

/**
 * p50 theory at this RTT: one-way up + down, short polling + P/2; long polling at a fixed rate
 * + the re-poll gap's wait when more than `depth` messages come per round trip (theory.ts);
 * without a fixed rate (bursts), its parked poll's one-way up + down.
 */
function theoryMs(transport: string, rtt: number, ratePerSec?: number, depth = 1): number {
  if (transport.startsWith('short-polling')) return rtt + pollMs / 2
  if (transport.startsWith('long-polling') && ratePerSec !== undefined)
    return expectedP50Ms(depth, { upMs: rtt / 2, downMs: rtt / 2, ratePerSec })!
  return rtt
}

function pairs(count: number, ratePerSec: number, more: Partial<RunOptions> = {}): RunOptions {
  const s = defaultScenario()
  return {
    ...toRunOptions({ ...s, groups: count, arrival: { kind: 'constant', ratePerSec }, durationMs: seconds * 1000, warmupMs: 1000 }),
    settings: { 'short-polling': { interval: pollMs } },
    ...where,
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
    const theory = theoryMs(r.transport, rttMs, 40)
    console.log(
      `   ${r.transport.padEnd(14)} p50 ${f(r.latency.p50Ms)} ms, theory ${theory} ms (${off(r.latency.p50Ms, theory)}); p99 ${f(r.latency.p99Ms)} ms; ` +
        `lost ${r.lost}; send lag p99 ${r.sendLagP99Us} µs, ${r.sendsQueued ?? 0} queued; achieved rtt p50 ${f(r.achievedRttP50Ms!)} ms; ${flags(r)}`,
    )
  }
}

/** Long polling alone at each depth, 20 pairs × 40 msg/s: median p50 of `runs` runs, each run's row beside. */
async function depths(): Promise<void> {
  console.log(`\n1b. long polling alone at each --long-poll-depth, same load, median of ${runs} runs`)
  const lp = transportsNamed(['long-polling'])
  // 40 msg/s is two a round trip: depth 2's edge (theory.ts). 30 msg/s is below it.
  for (const [depth, rate] of [
    [1, 40],
    [2, 40],
    [3, 40],
    [2, 30],
  ] as const) {
    const rows: TransportResult[] = []
    for (let i = 0; i < runs; i++) {
      const options = pairs(20, rate, { link: linkOf(rttMs), transports: lp })
      rows.push(
        (await runBenchmark({ ...options, settings: { ...options.settings, 'long-polling': { hold: 30_000, depth } } })).results[0]!,
      )
    }
    const p50 = median(rows.map((r) => r.latency.p50Ms))
    const theory = theoryMs('long-polling', rttMs, rate, depth)
    const lost = rows.reduce((n, r) => n + r.lost + r.duplicated + r.reordered, 0)
    console.log(
      `   long-polling depth ${depth} at ${rate} msg/s: p50 ${f(p50)} ms (${rows.map((r) => f(r.latency.p50Ms)).join(', ')}), theory ${theory} ms (${off(p50, theory)}); ` +
        `p99 ${f(median(rows.map((r) => r.latency.p99Ms)))} ms; lost+duplicated+reordered ${lost} of ${rows.reduce((n, r) => n + r.sent, 0)}; ` +
        `req/msg ${median(rows.map((r) => r.recvRequestsPerMsg)).toFixed(2)}; ${rows.map(flags).join(' / ')}`,
    )
  }
}

async function burst(): Promise<void> {
  const s = loadScenario('burst')
  console.log(`\n2. scenario burst (${s.description.split(' — ')[0]}) at rtt ${rttMs} ms`)
  const report = await runBenchmark({
    ...toRunOptions(s),
    settings: { 'short-polling': { interval: pollMs } },
    link: linkOf(rttMs),
    ...where,
  })
  const deeper = await runBenchmark({
    ...toRunOptions(s),
    transports: transportsNamed(['long-polling']),
    settings: { 'long-polling': { hold: 30_000, depth: 2 } },
    link: linkOf(rttMs),
    ...where,
  })
  const rows = [...report.results.map((r) => ({ r, label: r.transport })), { r: deeper.results[0]!, label: 'long-poll d2' }]
  for (const { r, label } of rows) {
    const theory = theoryMs(r.transport, rttMs)
    console.log(
      `   ${label.padEnd(14)} p50 ${f(r.latency.p50Ms)} ms, theory ${theory} ms` +
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

console.log(
  `bench:link — Node ${process.version}; ${placement ? `server on cpu ${placement.serverCpu}, generator on cpu ${placement.generatorCpu}` : 'unpinned'}, on whatever else the machine runs`,
)
await inFlight()
await depths()
await burst()
await setup()
await emulatorCost()
