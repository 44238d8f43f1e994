/**
 * The distributed path on one machine: one `serve`, n shard processes (`run --shard i/n`) on
 * one `--start-at`, then `merge`, exactly as deploy/kubernetes/ runs it across machines. By
 * default 2 shards × 5,000 WebSocket pairs at 0.2 msg/s each (2,000 msg/s in all), 10 s
 * measured after 5 s of warm-up. Prints each shard's counts and when its window opened after
 * the shared instant, and the merged row; passes when nothing was lost and the windows opened
 * within 5 ms of each other.
 *
 * Every process has its own open-files limit (raised to the hard one by the npm script), and
 * the server holds two sockets per pair of every shard, so it needs 4 × pairs-per-shard files
 * and its own few: when that exceeds the hard limit the shards are shrunk to fit, and it says so.
 * Usage: npm run bench:shards [-- --pairs-per-shard 5000 --shards 2 --rate 0.2 --seconds 10 --warmup 5 --lead 40]
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TransportResult } from '../src/metrics/summarise.js'
import type { RunReport } from '../src/results/report.js'
import { openFilesLimit } from '../src/scenario/feasibility.js'
import { formatMs } from '../src/units.js'
import { numberFlag } from './flags.js'

const bin = new URL('../../bin/transport-bench.js', import.meta.url).pathname
const shards = Math.round(numberFlag('shards', 2))
const wantedPairs = Math.round(numberFlag('pairs-per-shard', 5000))
const rate = numberFlag('rate', 0.2)
const seconds = numberFlag('seconds', 10)
const warmup = numberFlag('warmup', 5)
/** Seconds from launch to the shared instant: every shard must have started and opened its users by then. */
const lead = numberFlag('lead', 15 + (wantedPairs * 4) / 1000)
/** Files the server holds besides its sockets (19 idle here), and the shards' /stats reads. */
const serverSpareFiles = 40
const skewTargetMs = 5

/** Pairs per shard the server can hold: two sockets per pair of every shard, under this process's (inherited) limit. */
function pairsThatFit(): number {
  const limit = openFilesLimit()
  if (limit === undefined) return wantedPairs
  const fit = Math.floor((limit - serverSpareFiles) / (2 * shards))
  if (fit < wantedPairs)
    process.stderr.write(
      `bench:shards: the server would hold ${2 * shards * wantedPairs} sockets and ~${serverSpareFiles} other files, over its open-files limit ${limit}: ${fit} pairs per shard instead of ${wantedPairs}\n`,
    )
  return Math.min(fit, wantedPairs)
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  probe.close()
  return port
}

/** Runs the CLI; resolves to its exit code, stdout and stderr. */
function tb(args: string[], started: ChildProcess[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })))
}

async function waitUntilUp(origin: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      await fetch(`${origin}/stats`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the server at ${origin} did not answer within 10 s`)
}

function row(label: string, r: TransportResult): string {
  return (
    `${label.padEnd(8)} sent ${String(r.sent).padStart(6)}  delivered ${String(r.delivered).padStart(6)}  lost ${r.lost}  dup ${r.duplicated}` +
    `  p50 ${formatMs(r.latency.p50Ms)} ms  p99 ${formatMs(r.latency.p99Ms)} ms  receivers ${r.receivers}  histogram ${r.latency.count}`
  )
}

async function main(): Promise<void> {
  const pairs = pairsThatFit()
  const started: ChildProcess[] = []
  const dir = await mkdtemp(join(tmpdir(), 'tb-shards-'))
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--max-connections', String(2 * shards * pairs + 100)], {
    stdio: 'ignore',
  })
  try {
    await waitUntilUp(origin)
    const startAt = new Date(Date.now() + lead * 1000).toISOString()
    process.stdout.write(
      `${shards} shards × ${pairs} WebSocket pairs at ${rate}/s each against one serve (pid ${server.pid}); ` +
        `${seconds} s measured after ${warmup} s warm-up, start at ${startAt}; open-files limit ${openFilesLimit() ?? 'unknown'} per process\n`,
    )
    const common = ['run', '--transports', 'websocket', '--pairs', String(pairs * shards), '--rate', String(rate)]
    const timing = ['--duration', `${seconds}s`, '--warmup', `${warmup}s`, '--target', origin, '--start-at', startAt]
    const runs = await Promise.all(
      Array.from({ length: shards }, (_, i) =>
        tb([...common, ...timing, '--shard', `${i}/${shards}`, '--format', 'json', '--no-save', '--quiet'], started),
      ),
    )
    const files: string[] = []
    for (const [i, run] of runs.entries()) {
      if (run.code !== 0) throw new Error(`shard ${i}/${shards} failed (exit ${run.code}): ${run.stderr.trim()}`)
      files.push(join(dir, `shard-${i}.json`))
      await writeFile(files[i]!, run.stdout)
    }
    const mergedPath = join(dir, 'merged.json')
    const merge = await tb(['merge', ...files, '-o', mergedPath], started)
    if (merge.code !== 0) throw new Error(`merge failed: ${merge.stderr.trim()}`)
    for (const [i, file] of files.entries()) {
      const shard = JSON.parse(await readFile(file, 'utf8')) as RunReport
      process.stdout.write(`${row(`shard ${i}`, shard.results[0]!)}\n`)
    }
    const merged = JSON.parse(await readFile(mergedPath, 'utf8')) as RunReport
    const m = merged.results[0]!
    process.stdout.write(`${row('merged', m)}\n`)
    process.stdout.write(merge.stderr)
    const skew = m.windowSkewMs ?? Number.NaN
    const lostNothing = m.lost === 0 && m.delivered === m.sent && m.sendErrors + m.receiveErrors === 0
    process.stdout.write(
      `merged: ${lostNothing ? 'nothing lost' : `LOST ${m.lost} (${m.firstError ?? 'no error recorded'})`}; ` +
        `window-open skew ${skew.toFixed(3)} ms (target < ${skewTargetMs} ms: ${skew < skewTargetMs ? 'met' : 'NOT met'}); ` +
        `server ${m.serverCpuMsPer1k?.toFixed(1) ?? 'n/a'} ms CPU per 1k msgs; generator CPU ${m.generatorCpuPct.toFixed(0)}% of a core over ${shards} processes\n`,
    )
  } finally {
    for (const child of [...started, server]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:shards: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
