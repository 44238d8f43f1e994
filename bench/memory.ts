/**
 * Does the generator's memory stay flat over a long run? One transport (WebSocket, 100 pairs ×
 * 10 msg/s) for `--minutes` (default 10); every 10 s the generator's heapUsed (after a full GC
 * when node runs with --expose-gc, so only live objects count) and RSS are sampled, then the
 * growth from minute 1 to the end is printed with a verdict: flat when both grew less than 5 MB.
 * Server and generator are not pinned: the scheduler may put them wherever there is room.
 * Usage: npm run bench:memory [-- --minutes 10]
 */
import { runDefaults } from '../src/config.js'
import type { Progress } from '../src/load/progress.js'
import { runBenchmark } from '../src/run.js'
import { defaultSettings } from '../src/transports/setting-values.js'
import { websocket } from '../src/transports/websocket/index.js'
import { bytesToMb } from '../src/units.js'
import { numberFlag } from './flags.js'

const minutes = numberFlag('minutes', 10)
const sampleEveryMs = 10_000
/** Growth below this, from minute 1 to the end, is noise (GC timing, allocator slack), not a leak. */
const flatLimitMb = 5
/**
 * A p99 above this means the server fell behind: the open model then keeps the backlog (queued
 * POSTs) in the generator's memory, so growth measures the backlog, not a leak.
 */
const backlogP99Ms = 1000

interface Sample {
  atS: number
  heapUsedMb: number
  rssMb: number
}

const collect = (globalThis as { gc?: () => void }).gc

function sample(atMs: number): Sample {
  collect?.()
  const memory = process.memoryUsage()
  return { atS: Math.round(atMs / 1000), heapUsedMb: bytesToMb(memory.heapUsed), rssMb: bytesToMb(memory.rss) }
}

/** Samples on the run's own clock: the progress hook fires every 250 ms until the window ends. */
function sampler(samples: Sample[]): (progress: Progress) => void {
  let next = 0
  return ({ elapsedMs }) => {
    if (elapsedMs < next) return
    samples.push(sample(elapsedMs))
    next += sampleEveryMs
  }
}

function growth(samples: readonly Sample[], pick: (s: Sample) => number): { mb: number; pct: number } {
  const from = samples.find((s) => s.atS >= 60) ?? samples[0]!
  const to = samples[samples.length - 1]!
  const mb = pick(to) - pick(from)
  return { mb, pct: (100 * mb) / pick(from) }
}

const samples: Sample[] = []
process.stdout.write(
  `memory: websocket, 100 pairs × 10 msg/s for ${minutes} min; heapUsed ${collect ? 'after a full GC' : 'as found (run node with --expose-gc for live objects only)'}\n`,
)
const report = await runBenchmark(
  {
    transports: [websocket],
    pairs: 100,
    ratePerSec: 10,
    arrival: { kind: 'constant', ratePerSec: 10 },
    durationMs: minutes * 60_000,
    warmupMs: runDefaults.warmupMs,
    payloadBytes: runDefaults.payloadBytes,
    settings: defaultSettings(),
    // Unpinned: memory is not a CPU figure, and on a shared machine a pinned server is the first to fall behind.
  },
  { onProgress: sampler(samples) },
)
process.stdout.write('   t s  heapUsed MB  RSS MB\n')
for (const s of samples)
  process.stdout.write(`${String(s.atS).padStart(6)}  ${s.heapUsedMb.toFixed(1).padStart(11)}  ${s.rssMb.toFixed(1).padStart(6)}\n`)
const heap = growth(samples, (s) => s.heapUsedMb)
const rss = growth(samples, (s) => s.rssMb)
const r = report.results[0]!
const backlog = r.lost > 0 || r.latency.p99Ms > backlogP99Ms
const verdict =
  heap.mb < flatLimitMb && rss.mb < flatLimitMb
    ? 'flat'
    : backlog
      ? 'inconclusive: the server fell behind, growth is the backlog held by the generator'
      : 'GROWING'
process.stdout.write(
  `growth from minute 1 to the end: heapUsed ${heap.mb.toFixed(1)} MB (${heap.pct.toFixed(1)}%), RSS ${rss.mb.toFixed(1)} MB (${rss.pct.toFixed(1)}%): ` +
    `${verdict} (limit ${flatLimitMb} MB)\n` +
    `run: ${r.delivered}/${r.sent} delivered, lost ${r.lost}, dup ${r.duplicated}, reord ${r.reordered}, p50 ${r.latency.p50Ms.toFixed(3)} ms, p99 ${r.latency.p99Ms.toFixed(3)} ms\n`,
)
