import assert from 'node:assert/strict'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { parseCsv } from '../../src/report/csv.js'

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))

/** A `serve` process: its origin, and its end by its pid. */
interface Served {
  origin: string
  port: number
  child: ChildProcessWithoutNullStreams
}

/** Starts `transport-bench serve` on `port` (0: any free one) and waits up to 15 s for its line naming the origin. */
async function serve(port = 0, extra: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), ...extra])
  let stderr = ''
  const started = new Promise<Served>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const match = /server on (http:\/\/127\.0\.0\.1:(\d+))/.exec(stderr)
      if (match) resolve({ origin: match[1]!, port: Number(match[2]), child })
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
  })
  const served = await Promise.race([
    started,
    delay(15_000, undefined, { ref: false }).then(() => Promise.reject(new Error(`serve did not start: ${stderr}`))),
  ])
  after(() => end(served.child))
  return served
}

/** Ends a process started here, by its pid, and waits for it. */
async function end(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}

/** Users the server has seen so far (GET /stats), 0 when it does not answer. */
async function usersOn(origin: string): Promise<number> {
  try {
    const res = await request(`${origin}/stats`, { headersTimeout: 2000, bodyTimeout: 2000 })
    return ((await res.body.json()) as { users: number }).users
  } catch {
    return 0
  }
}

/** Waits (up to 15 s) until the server has mailboxes for `count` users (its receivers). */
async function usersOpened(origin: string, count: number): Promise<void> {
  for (let i = 0; i < 150 && (await usersOn(origin)) < count; i++) await delay(100)
}

interface Running {
  exited: Promise<number>
  stdout: () => string
  stderr: () => string
  /** Resolves once stderr matches. */
  saw: (pattern: RegExp) => Promise<void>
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const waiting: { pattern: RegExp; resolve: () => void }[] = []
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    for (const w of waiting) if (w.pattern.test(stderr)) w.resolve()
  })
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const exited = (once(child, 'exit') as Promise<[number | null]>).then(([code]) => code ?? -1)
  return {
    exited: Promise.race([exited, delay(60_000, undefined, { ref: false }).then(() => -1)]),
    stdout: () => stdout,
    stderr: () => stderr,
    saw: (pattern) => (pattern.test(stderr) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ pattern, resolve }))),
  }
}

async function resultFiles(
  out: string,
): Promise<{ csv: Record<string, string>[]; json: { complete?: boolean; results: Record<string, unknown>[] } }> {
  const json = (await readdir(out)).find((f) => f.endsWith('.json'))!
  return {
    csv: parseCsv(await readFile(join(out, json.replace(/\.json$/, '.csv')), 'utf8')),
    json: JSON.parse(await readFile(join(out, json), 'utf8')) as { complete?: boolean; results: Record<string, unknown>[] },
  }
}

async function outDir(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'transport-bench-'))
  after(() => rm(out, { recursive: true, force: true }))
  return out
}

test('a --target restarted inside the window marks the row invalid, reports no server CPU or memory, and exits 1', async () => {
  const first = await serve()
  const out = await outDir()
  const running = run([
    '--target',
    first.origin,
    '--transports',
    'sse',
    '--pairs',
    '2',
    '--rate',
    '5',
    '--duration',
    '6s',
    '--warmup',
    '1s',
    '--out',
    out,
  ])
  await usersOpened(first.origin, 2)
  // Past the 1 s warm-up: inside the window. The same port, another process.
  await delay(1_800)
  await end(first.child)
  await serve(first.port)
  const code = await running.exited
  const stderr = running.stderr()
  assert.equal(code, 1, stderr)
  assert.match(stderr, /^transport-bench: sse: target restarted during the window \(instance \w+ at its start, \w+ at its end\)/m)
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
  assert.match(running.stdout(), /invalid/)
  const { csv, json } = await resultFiles(out)
  assert.match(csv[0]!.invalid!, /^target restarted during the window/)
  assert.deepEqual([csv[0]!.server_cpu_ms_per_1k, csv[0]!.server_rss_mb, csv[0]!.complete], ['', '', 'true'])
  assert.match(String(json.results[0]!.invalid), /^target restarted/)
})

/** Exit 1 and exactly one line on stderr, matching `line`, with no stack trace. */
function assertFailedInOneLine(code: number, stderr: string, line: RegExp): void {
  assert.equal(code, 1, stderr)
  const lines = stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`)
  assert.match(lines[0]!, line)
}

const refused = (transport: string, role: string, max: number): RegExp =>
  new RegExp(
    `^transport-bench: ${transport}: \\d+ of 20 ${role} could not connect \\(server refused: max connections ${max}\\); lower --pairs or raise --max-connections of the server at http://127\\.0\\.0\\.1:\\d+$`,
  )

/** A run of 20 pairs of `transport` (with `more` flags) against a fresh target capped at `max` connections: its exit and output. */
async function runAgainstCap(max: number, transport: string, ...more: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const server = await serve(0, ['--max-connections', String(max)])
  const workload = ['--pairs', '20', '--duration', '5s', '--warmup', '1s', '--no-save']
  const running = run(['--target', server.origin, '--transports', transport, ...more, ...workload])
  const code = await running.exited
  return { code, stderr: running.stderr(), stdout: running.stdout() }
}

test('receivers a --target refuses at connect (past its --max-connections) fail the run before the window, in one line', async () => {
  const { code, stderr, stdout } = await runAgainstCap(10, 'websocket')
  assertFailedInOneLine(code, stderr, refused('websocket', 'receivers', 10))
  assert.match(stderr, /: 10 of 20 receivers/)
  assert.equal(stdout, '')
})

test('with --workers 2, the refusals every worker saw are counted out of the run’s users, not one worker’s', async () => {
  const { code, stderr } = await runAgainstCap(10, 'websocket', '--workers', '2')
  // Which users the cap refuses depends on timing (an upgraded WebSocket gives its slot back): either way, out of the run's 20.
  assertFailedInOneLine(code, stderr, refused('websocket', '(receivers|senders)', 10))
  // A worker's own count would be out of its 10.
  assert.match(stderr, /: \d+ of 20 (receivers|senders)/)
})

test('poll receivers a --target refuses during the warm-up fail the run before the window, in one line', async () => {
  // The senders connect during set-up and take 20 of the 25; short-poll receivers first connect when they first poll.
  const { code, stderr, stdout } = await runAgainstCap(25, 'short-polling')
  assertFailedInOneLine(code, stderr, refused('short-polling', 'receivers', 25))
  assert.equal(stdout, '')
})

test('a --target lost mid-run ends it with exit 1 and one line naming the target and the row, after printing and keeping what finished', async () => {
  const server = await serve()
  const out = await outDir()
  const running = run([
    '--target',
    server.origin,
    '--transports',
    'websocket,sse',
    '--pairs',
    '2',
    '--rate',
    '5',
    '--duration',
    '3s',
    '--warmup',
    '1s',
    '--out',
    out,
  ])
  await running.saw(/^websocket: \d+\/\d+ delivered/m)
  await delay(1_000)
  await end(server.child)
  const code = await running.exited
  const stderr = running.stderr()
  assert.equal(code, 1, stderr)
  const last = stderr.trimEnd().split('\n').at(-1)!
  assert.equal(last, `transport-bench: lost the target ${server.origin} during sse: connect ECONNREFUSED 127.0.0.1:${server.port}`)
  assert.match(stderr, /interrupted after [\d.]+ ms, 1 row finished/)
  assert.doesNotMatch(stderr, /unexpected error|\n\s+at /)
  assert.match(running.stdout(), /^websocket /m)
  const { csv, json } = await resultFiles(out)
  assert.equal(json.complete, false)
  assert.deepEqual(
    csv.map((row) => [row.transport, row.complete]),
    [['websocket', 'false']],
  )
})
