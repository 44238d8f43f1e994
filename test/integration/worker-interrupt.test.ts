import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { after, test } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../../../bin/transport-bench.js', import.meta.url))

/** The children of `pid` (Linux /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  return text.trim().split(/\s+/).filter(Boolean).map(Number)
}

/** Whether `pid` still runs: a zombie (ended, not yet reaped) does not. */
async function running(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return status !== '' && !/^State:\s+Z/m.test(status)
}

/** Waits up to `ms` for every pid to end; the ones still running then. */
async function stillRunningAfter(pids: number[], ms: number): Promise<number[]> {
  for (let waited = 0; waited < ms; waited += 100) {
    const left = (await Promise.all(pids.map(async (pid) => ((await running(pid)) ? [pid] : [])))).flat()
    if (left.length === 0) return []
    await delay(100)
  }
  return (await Promise.all(pids.map(async (pid) => ((await running(pid)) ? [pid] : [])))).flat()
}

/** A run on 2 workers, sse then websocket; resolves once the first row finished and the second row's server and workers run. */
async function runOnWorkers(): Promise<{
  pid: number
  stderr: () => string
  exited: Promise<[number | null, NodeJS.Signals | null]>
  children: number[]
}> {
  const args = [
    'run',
    '--transports',
    'sse,websocket',
    '--pairs',
    '2',
    '--rate',
    '5',
    '--duration',
    '4s',
    '--warmup',
    '0s',
    '--workers',
    '2',
    '--no-save',
  ]
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let stderr = ''
  const firstRow = new Promise<void>((resolve) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (/^sse: \d+\/\d+ delivered/m.test(stderr)) resolve()
    }),
  )
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  await Promise.race([firstRow, delay(30_000, undefined, { ref: false })])
  // The second row's embedded server and its two workers.
  let children: number[] = []
  for (let i = 0; i < 100 && children.length < 3; i++) {
    await delay(100)
    children = await childrenOf(child.pid!)
  }
  assert.equal(children.length, 3, `server and 2 workers under ${child.pid}: ${children.join(' ')}\n${stderr}`)
  return { pid: child.pid!, stderr: () => stderr, exited, children }
}

test('with --workers, SIGINT still prints and keeps what finished and exits 130, and ends every worker and the server', async () => {
  const run = await runOnWorkers()
  process.kill(run.pid, 'SIGINT')
  const [code] = await Promise.race([run.exited, delay(20_000, undefined, { ref: false }).then(() => [-1] as const)])
  assert.equal(code, 130, run.stderr())
  assert.match(run.stderr(), /interrupted after [\d.]+ ms, 1 row finished/)
  assert.match(run.stderr(), /transport-bench: stopped by SIGINT/)
  assert.deepEqual(await stillRunningAfter(run.children, 5_000), [])
})

test('with --workers, a runner killed outright leaves no worker or server running (they end on the lost IPC channel)', async () => {
  const run = await runOnWorkers()
  process.kill(run.pid, 'SIGKILL')
  await run.exited
  assert.deepEqual(await stillRunningAfter(run.children, 5_000), [])
})
