import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { after, test } from 'node:test'
import { Agent, request } from 'undici'
import WebSocket from 'ws'
import { startEmbeddedServer } from '../../src/host/embedded.js'
import type { ServerStats } from '../../src/protocol/stats.js'
import { defaultLimits } from '../../src/server/limits.js'
import { findTransport } from '../../src/transports/registry.js'
import { measure } from '../helpers/load.js'

const mb = 1024 * 1024
const limits = { ...defaultLimits, slowConsumerMaxBufferedBytes: 1 * mb, mailboxMaxBytes: 1 * mb }
/** Pushed at each slow receiver: far more than its limit, so an unbounded server would grow by it. */
const floodBytes = 40 * mb
const messageBytes = 256 * 1024
/**
 * The server's peak RSS may grow by at most this while 2 × floodBytes go to receivers that do
 * not read. Measured on a 2-core machine: 42–52 MB with the limit (the heap that parsing the
 * flood's bodies takes), about 100 MB with the limit lifted.
 */
const rssGrowthBoundBytes = 72 * mb
/**
 * The well-behaved pairs' p99 may rise by at most this while the flood runs. The flood itself
 * (80 MB of POSTs through the same two cores) costs the server CPU and GC: p99 went from
 * 15–25 ms to 40–110 ms in calibration runs with the limit in force.
 */
const latencyMarginMs = 150

// The server runs in a process of its own, so /stats shows its memory alone.
const server = await startEmbeddedServer({ limits })
after(() => server.stop())
const port = Number(new URL(server.origin).port)
const pool = new Agent({ connections: 8 })
after(() => pool.close())

async function stats(): Promise<ServerStats> {
  const res = await request(`${server.origin}/stats`, { dispatcher: pool })
  return (await res.body.json()) as ServerStats
}

/** An SSE receiver on a raw socket that reads the response head, then stops reading. */
async function stalledSse(user: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write(`GET /sse/${user} HTTP/1.1\r\nHost: x\r\n\r\n`)
  const [head] = (await once(socket, 'data')) as [Buffer]
  assert.match(head.toString(), /^HTTP\/1\.1 200 /)
  socket.pause()
  return socket
}

/** A WebSocket receiver whose TCP socket stops being read once it is open. */
async function stalledWebSocket(user: string): Promise<{ ws: WebSocket; socket: Socket }> {
  let socket: Socket | undefined
  const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket/${user}`, {
    createConnection: () => (socket = connect(port, '127.0.0.1')),
  })
  await once(ws, 'open')
  socket!.pause()
  return { ws, socket: socket! }
}

async function flood(users: string[]): Promise<void> {
  const data = 'x'.repeat(messageBytes)
  const per = Math.ceil(floodBytes / messageBytes)
  const post = async (to: string): Promise<void> => {
    const res = await request(`${server.origin}/messages`, {
      method: 'POST',
      dispatcher: pool,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, data }),
    })
    await res.body.dump()
  }
  // Two at a time, a bounded number in all.
  const jobs = users.flatMap((to) => Array.from({ length: per }, () => to))
  const workers = Array.from({ length: 2 }, async () => {
    for (let to = jobs.pop(); to !== undefined; to = jobs.pop()) await post(to)
  })
  await Promise.all(workers)
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

test('receivers that stop reading are cut off with a reason, the server stays small, and the others keep their latency', async () => {
  const websocket = findTransport('websocket')!
  const plan = { pairs: 3, durationMs: 1500, warmupMs: 200 }
  const baseline = await measure(websocket, server.origin, plan)
  const before = await stats()

  const sse = await stalledSse('slow-sse')
  const slow = await stalledWebSocket('slow-ws')
  const during = measure(websocket, server.origin, plan)
  await flood(['slow-sse', 'slow-ws'])
  const { result } = await during

  assert.ok(await waitFor(async () => (await stats()).slowConsumersCut >= before.slowConsumersCut + 2, 5000), 'both slow receivers cut')
  const peak = await stats()
  const growth = peak.maxRssBytes - before.rssBytes
  assert.ok(growth < rssGrowthBoundBytes, `peak RSS grew by ${(growth / mb).toFixed(1)} MB`)

  assert.equal(result.lost, 0, result.firstError ?? '')
  assert.ok(
    result.latency.p99Ms < baseline.result.latency.p99Ms + latencyMarginMs,
    `p99 ${result.latency.p99Ms} ms during the flood vs ${baseline.result.latency.p99Ms} ms before`,
  )

  // Once it reads again, the WebSocket receiver finds the close frame and its reason after its data.
  const closed = once(slow.ws, 'close', { signal: AbortSignal.timeout(10_000) }) as Promise<[number, Buffer]>
  slow.socket.resume()
  const [code, reason] = await closed
  assert.equal(code, 1008)
  assert.match(reason.toString(), /slow consumer/)

  // The SSE receiver cannot be told in-band: its stream is ended, and /stats counted it above.
  const ended = once(sse, 'close', { signal: AbortSignal.timeout(10_000) })
  sse.on('data', () => {})
  sse.resume()
  await ended
})
