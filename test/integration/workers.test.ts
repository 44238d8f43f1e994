import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import type { LoadPlan } from '../../src/load/plan.js'
import { runLoadOnWorkers } from '../../src/load/workers/worker-pool.js'
import { summarise } from '../../src/metrics/summarise.js'
import { findTransport } from '../../src/transports/registry.js'
import { assertOneLineError, cli } from '../helpers/cli.js'
import { isRunning } from '../helpers/process.js'
import { startTestServer } from '../helpers/server.js'

const server = await startTestServer()
const pairs = 6

for (const name of ['websocket', 'long-polling']) {
  test(`${name} on 2 workers: every message of every pair delivered once, counted once, and no worker left running`, async () => {
    const transport = findTransport(name)
    assert.ok(transport)
    const plan: LoadPlan = {
      transport,
      origin: server.origin,
      runId: `w${process.pid}-${name}`,
      pairs,
      ratePerSec: 20,
      arrival: { kind: 'constant', ratePerSec: 20 },
      durationMs: 600,
      warmupMs: 200,
      payloadBytes: 64,
      settings: { 'short-polling': { interval: 50 }, 'long-polling': { hold: 30_000 } },
      sendMode: 'post',
    }
    const pids: number[] = []
    const edges: string[] = []
    const load = await runLoadOnWorkers(plan, { count: 2, onStart: (pid) => pids.push(pid) }, { onWindowEdge: (edge) => edges.push(edge) })
    const result = summarise(name, 'post', load, {})

    assert.equal(pids.length, 2)
    assert.deepEqual(edges, ['start', 'end'])
    // The runner's own window; generous, as a busy machine can wake its edge timers late.
    assert.ok(Math.abs(load.windowMs - plan.durationMs) < 250, `window ${load.windowMs} ms`)
    // 6 pairs × 20/s × 0.6 s; a loaded machine may shift an edge by a message or two.
    assert.ok(result.sent >= 60, `sent ${result.sent}`)
    assert.equal(result.lost, 0, result.firstError ?? 'lost messages')
    assert.equal(result.delivered, result.sent)
    assert.equal(result.duplicated, 0)
    assert.equal(load.recorded.latency.totalCount, result.delivered)
    assert.equal(result.sendErrors + result.receiveErrors, 0, result.firstError ?? '')
    assert.equal(result.receivers, pairs)
    // Each worker opened one connection per sender and per receiver of its 3 pairs, at least.
    if (name === 'websocket') assert.equal(result.connections, 2 * pairs)
    else assert.ok(result.connections >= 2 * pairs, `connections ${result.connections}`)
    for (const pid of pids) assert.equal(isRunning(pid), false, `worker ${pid} still running`)
  })
}

/** A 2-pair SSE plan against `origin`, for workers that cannot open their users there. */
function failingPlan(origin: string, name: string): LoadPlan {
  return {
    transport: findTransport('sse')!,
    origin,
    runId: `w${process.pid}-${name}`,
    pairs: 2,
    ratePerSec: 1,
    arrival: { kind: 'constant', ratePerSec: 1 },
    durationMs: 1000,
    warmupMs: 0,
    payloadBytes: 64,
    settings: { 'short-polling': { interval: 50 }, 'long-polling': { hold: 30_000 } },
    sendMode: 'post',
  }
}

test('a worker that fails ends the run with its error in one line, and every worker is ended', async () => {
  // Every request answered 404: a failure, not a refusal.
  const notHere = createServer((_req, res) => res.writeHead(404).end('not here'))
  notHere.listen(0, '127.0.0.1')
  await once(notHere, 'listening')
  const pids: number[] = []
  try {
    const origin = `http://127.0.0.1:${(notHere.address() as AddressInfo).port}`
    await assert.rejects(runLoadOnWorkers(failingPlan(origin, 'fail'), { count: 2, onStart: (pid) => pids.push(pid) }), {
      name: 'UserError',
      message: /^load worker \d+ failed: .*answered 404/,
    })
  } finally {
    notHere.closeAllConnections()
    notHere.close()
  }
  assert.equal(pids.length, 2)
  for (const pid of pids) assert.equal(isRunning(pid), false, `worker ${pid} still running`)
})

test('workers whose users are all refused fail set-up with the run’s count, not one worker’s, and every worker is ended', async () => {
  const pids: number[] = []
  // Nothing listens on port 1: each worker's one receiver is refused.
  await assert.rejects(runLoadOnWorkers(failingPlan('http://127.0.0.1:1', 'refused'), { count: 2, onStart: (pid) => pids.push(pid) }), {
    name: 'SetupFailed',
    message: '2 of 2 receivers could not connect (ECONNREFUSED)',
  })
  assert.equal(pids.length, 2)
  for (const pid of pids) assert.equal(isRunning(pid), false, `worker ${pid} still running`)
})

test('--workers above the groups of the run is refused in one line', async () => {
  assertOneLineError(await cli(['run', '--pairs', '3', '--workers', '4', '--no-save']), /--workers 4: more than the 3 groups/)
})
