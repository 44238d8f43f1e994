import assert from 'node:assert/strict'
import { once } from 'node:events'
import { test } from 'node:test'
import { request } from 'undici'
import WebSocket from 'ws'
import { defaultLimits } from '../../src/server/limits.js'
import { findTransport } from '../../src/transports/registry.js'
import { measure } from '../helpers/load.js'
import { startTestServer } from '../helpers/server.js'

const limits = { ...defaultLimits, bodyLimitBytes: 4096, wsMaxPayloadBytes: 4096, longPollMaxParked: 1 }
const server = await startTestServer(limits)
const json = { 'content-type': 'application/json' }

async function status(path: string, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const res = await request(`${server.origin}${path}`, { method: init.method ?? 'GET', body: init.body ?? null, headers: init.headers ?? {} })
  await res.body.dump()
  return res.statusCode
}

/** The HTTP status a WebSocket upgrade is refused with. */
async function upgradeStatus(path: string): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`)
  ws.on('error', () => {})
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy: () => void }]
  res.destroy()
  return res.statusCode
}

async function closeCodeAfterSending(frame: string | Buffer, binary = false): Promise<number> {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/websocket/bad-sender`)
  ws.on('error', () => {})
  await once(ws, 'open')
  const closed = once(ws, 'close')
  ws.send(frame, { binary })
  const [code] = (await closed) as [number]
  return code
}

const badRequests: [string, () => Promise<number>, number][] = [
  ['malformed JSON', () => status('/messages', { method: 'POST', body: '{"to":', headers: json }), 400],
  ['a body without "to"', () => status('/messages', { method: 'POST', body: '{"data":"x"}', headers: json }), 400],
  ['a user id with a slash', () => status('/messages', { method: 'POST', body: '{"to":"a/b","data":"x"}', headers: json }), 400],
  ['an unknown field', () => status('/messages', { method: 'POST', body: '{"to":"a","data":"x","x":1}', headers: json }), 400],
  ['data that is an object', () => status('/messages', { method: 'POST', body: '{"to":"a","data":{}}', headers: json }), 400],
  ['a body over the limit', () => status('/messages', { method: 'POST', body: JSON.stringify({ to: 'a', data: 'x'.repeat(8192) }), headers: json }), 413],
  ['a body with both "to" and "room"', () => status('/messages', { method: 'POST', body: '{"to":"a","room":"r","data":"x"}', headers: json }), 400],
  ['a room id with a slash', () => status('/messages', { method: 'POST', body: '{"room":"a/b","data":"x"}', headers: json }), 400],
  ['a join without a user', () => status('/rooms/r/members', { method: 'POST', body: '{}', headers: json }), 400],
  ['a join with an unknown field', () => status('/rooms/r/members', { method: 'POST', body: '{"user":"a","x":1}', headers: json }), 400],
  ['a body of an unsupported type', () => status('/messages', { method: 'POST', body: 'to=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
  ['a text body', () => status('/messages', { method: 'POST', body: 'to=a', headers: { 'content-type': 'text/plain' } }), 400],
  ['an unknown route', () => status('/nowhere'), 404],
  ['a negative cursor', () => status('/short-polling/u1?after=-1'), 400],
  ['a cursor that is not a number', () => status('/short-polling/u1?after=abc'), 400],
  ['a hold above the maximum', () => status(`/long-polling/u1?timeout=${limits.longPollMaxTimeoutMs + 1}`), 400],
  ['a malformed Last-Event-ID', () => status('/sse/u1', { headers: { 'last-event-id': 'abc' } }), 400],
  ['an upgrade for a bad user id', () => upgradeStatus('/websocket/%20'), 400],
  ['an upgrade with a bad cursor', () => upgradeStatus('/websocket/u1?after=x'), 400],
  ['a WebSocket frame that is not JSON', () => closeCodeAfterSending('hello'), 1007],
  ['a binary WebSocket frame', () => closeCodeAfterSending(Buffer.from('{}'), true), 1007],
  ['a WebSocket frame over the limit', () => closeCodeAfterSending('x'.repeat(8192)), 1009],
]

for (const [what, send, expected] of badRequests) {
  test(`${what} is answered ${expected} and the server keeps serving`, async () => {
    assert.equal(await send(), expected)
    assert.equal(await status('/stats'), 200)
  })
}

test('a second parked long poll for one user is answered 429', async () => {
  const parked = request(`${server.origin}/long-polling/parked-user?timeout=2000`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.equal(await status('/long-polling/parked-user?timeout=2000'), 429)
  const res = await parked
  assert.equal(res.statusCode, 200)
  assert.deepEqual(await res.body.json(), { messages: [] })
})

test('bad requests thrown at every endpoint cost a concurrent well-behaved pair nothing', async () => {
  const sse = findTransport('sse')!
  const running = measure(sse, server.origin, { pairs: 3, durationMs: 1500 })
  // Bounded: a fixed number of rounds while the pairs run.
  for (let round = 0; round < 10; round++) {
    await Promise.all(badRequests.map(([, send]) => send()))
  }
  const { result } = await running
  assert.equal(result.lost, 0, result.firstError ?? '')
  assert.equal(result.reordered, 0)
  assert.equal(result.duplicated, 0)
})
