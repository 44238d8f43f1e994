import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
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
