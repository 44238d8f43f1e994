import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseCsv } from '../../src/report/csv.js'
import { assertOneLineError, cli } from '../helpers/cli.js'

/** How long the CLI takes to start and answer `--version` on this machine now: what a quick failure is measured beyond. */
async function startupMs(): Promise<number> {
  const started = performance.now()
  await cli(['--version'])
  return performance.now() - started
}

/** Runs `args` and checks the CLI failed within 1 s of its own start-up (under 2 s on an idle machine). */
async function quickly(args: string[]): Promise<Awaited<ReturnType<typeof cli>>> {
  const startup = await startupMs()
  const started = performance.now()
  const outcome = await cli(args, 10_000)
  const took = performance.now() - started
  assert.ok(took < startup + 1_000, `failed in ${Math.round(took)} ms, start-up alone ${Math.round(startup)} ms`)
  return outcome
}

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))

const quickRun = ['run', '--transports', 'sse', '--pairs', '1', '--rate', '1', '--duration', '1s', '--warmup', '0s']

test('--out under a regular file exits 2 with one line, before measuring', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'transport-bench-'))
  after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'a-file')
  await writeFile(file, 'x')
  const outcome = await quickly([...quickRun, '--out', join(file, 'results')])
  assertOneLineError(outcome, /--out .*a-file\/results: cannot write results there \(ENOTDIR\)/)
})

test('--out under /proc exits 2 with one line quickly', async () => {
  const outcome = await quickly([...quickRun, '--out', '/proc/transport-bench/results'])
  assertOneLineError(outcome, /--out \/proc\/transport-bench\/results: cannot write results there/)
})

test('--junit under a regular file exits 2 with one line, before measuring', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'transport-bench-'))
  after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'a-file')
  await writeFile(file, 'x')
  const outcome = await quickly([...quickRun, '--no-save', '--junit', join(file, 'gate.xml')])
  assertOneLineError(outcome, /--junit .*a-file\/gate\.xml: cannot write it \(ENOTDIR\)/)
})

test('the embedded server killed mid-run ends the run with exit 1 and one line naming the transport and the signal', async () => {
  const run = spawn(
    process.execPath,
    [bin, 'run', '--transports', 'sse', '--pairs', '2', '--rate', '5', '--duration', '30s', '--no-save'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = once(run, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  try {
    const server = await childOf(run.pid!)
    await delay(1_500)
    process.kill(server, 'SIGKILL')
    const [code] = await Promise.race([exited, delay(20_000).then(() => [-1])])
    assert.equal(code, 1, stderr)
    assert.match(stderr, /transport-bench: sse: the embedded server \(pid \d+\) ended during the run \(signal SIGKILL\)/)
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
  } finally {
    if (run.exitCode === null && run.signalCode === null) run.kill('SIGKILL')
  }
})

/** The embedded server's process among the children of `pid` (Linux /proc), waited for up to 15 s. */
async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 150; i++) {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
    for (const child of children.trim().split(/\s+/).filter(Boolean)) {
      const command = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')
      if (command.includes('host/child.js')) return Number(child)
    }
    await delay(100)
  }
  throw new Error(`no child of ${pid} within 15 s`)
}

test('a run stopped by SIGINT prints and keeps what finished, marked incomplete, and exits 130', async () => {
  const out = await mkdtemp(join(tmpdir(), 'transport-bench-'))
  after(() => rm(out, { recursive: true, force: true }))
  const args = ['run', '--transports', 'sse,websocket', '--pairs', '1', '--rate', '5', '--duration', '2s', '--warmup', '0s', '--out', out]
  const run = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let stdout = ''
  run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const firstRow = new Promise<void>((resolve) =>
    run.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (/^sse: \d+\/\d+ delivered/m.test(stderr)) resolve()
    }),
  )
  const exited = once(run, 'exit') as Promise<[number | null]>
  try {
    await Promise.race([firstRow, delay(30_000)])
    run.kill('SIGINT')
    const [code] = await Promise.race([exited, delay(20_000).then(() => [-1])])
    assert.equal(code, 130, stderr)
    assert.match(stderr, /interrupted after [\d.]+ ms, 1 row finished/)
    assert.match(stderr, /results written to .*-run\.\{csv,json\}/)
    assert.match(stderr, /transport-bench: stopped by SIGINT/)
    assert.match(stdout, /sse/)
    const json = (await readdir(out)).find((f) => f.endsWith('.json'))!
    const report = JSON.parse(await readFile(join(out, json), 'utf8')) as { complete?: boolean; results: unknown[] }
    assert.equal(report.complete, false)
    assert.equal(report.results.length, 1)
    const rows = parseCsv(await readFile(join(out, json.replace(/\.json$/, '.csv')), 'utf8'))
    assert.deepEqual(
      rows.map((row) => [row.transport, row.complete]),
      [['sse', 'false']],
    )
  } finally {
    if (run.exitCode === null && run.signalCode === null) run.kill('SIGKILL')
  }
})
